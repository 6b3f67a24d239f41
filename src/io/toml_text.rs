//! A TOML file's reading error in Chinese: the toml crate words its syntax
//! errors (`unclosed table, expected `]``) and serde words the errors of
//! values (`invalid type: string "many", expected u32`) in English; both
//! follow fixed patterns, which are put in Chinese here. A message of no
//! known pattern becomes a general sentence (the line is named beside it).

/// The Chinese of a toml or serde error message.
pub(crate) fn toml_problem_zh(message: &str) -> String {
    let message = message.trim().replace('\n', "; ");
    if let Some(text) = serde_problem(&message) {
        return text;
    }
    let (what, expected) = match message.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => (message.as_str(), None),
    };
    let what_zh = match syntax_problem(what) {
        Some(known) => known.to_string(),
        None => match invalid_thing(what) {
            Some(thing) => format!("{thing}的写法有误"),
            None if what.starts_with("cannot extend value of type ") => {
                "这个键已经有值，不能再用带点的键（如 a.b）往下写".to_string()
            }
            None if what.contains("too large") || what.contains("overflow") => "数字太大".to_string(),
            // A message of no known pattern: the line is named, and the
            // English words are not shown in a Chinese run.
            None => return "这里的写法不符合 TOML 的规定（键 = 值，文字加引号，表头写在方括号里）".to_string(),
        },
    };
    match expected.map(expected_zh).filter(|e| !e.is_empty()) {
        Some(expected) => format!("{what_zh}（这里应为 {expected}）"),
        None => what_zh,
    }
}

/// The thing of the toml crate's "invalid …" messages, in Chinese.
fn invalid_thing(what: &str) -> Option<&'static str> {
    let thing = what.strip_prefix("invalid ")?;
    Some(match thing {
        "exponent" => "数的指数部分",
        "fraction" => "数的小数部分",
        "mantissa" | "number" | "integer" | "float" => "数",
        "hexadecimal number" => "十六进制数",
        "octal number" => "八进制数",
        "binary number" => "二进制数",
        "literal string" | "multi-line literal string" | "string" => "文字",
        "date" | "date-time" | "datetime" => "日期",
        "time" => "时间",
        "offset" | "time offset" => "时区",
        "boolean" => "布尔值（true 或 false）",
        "key" => "键",
        "table header" | "array of tables header" | "table" => "表头",
        "array" => "列表",
        "inline table" => "行内表",
        "escape sequence" | "unicode escape" => "反斜杠转义",
        _ => return None,
    })
}

/// What the toml crate expected at the place, in Chinese: its tokens as
/// written, its words translated (a word of no known meaning is left out).
fn expected_zh(expected: &str) -> String {
    let words: Vec<String> = expected
        .split(", ")
        .flat_map(|part| part.split(" or "))
        .filter_map(|part| {
            let part = part.trim();
            if part.starts_with('`') {
                return Some(part.trim_matches('`').to_string());
            }
            let word = match part {
                "literal string" | "basic string" | "string" => "文字",
                "newline" => "换行",
                "key" => "键",
                "value" => "值",
                "comment" => "注释",
                "whitespace" => "空格",
                "digit" | "digits" => "数字",
                _ => return None,
            };
            Some(word.to_string())
        })
        .collect();
    words.join("、")
}

/// The toml crate's syntax problems.
fn syntax_problem(what: &str) -> Option<&'static str> {
    Some(match what {
        "duplicate key" => "键重复：同一个键写了两次",
        "string values must be quoted" => "文字要加引号，例如 \"小学\"",
        "unclosed table" => "表头缺少右方括号「]」",
        "unclosed array table" => "表头缺少右方括号「]]」",
        "unclosed array" => "列表缺少右方括号「]」",
        "unclosed inline table" => "行内表缺少右花括号「}」",
        "key with no value" | "missing value for key" | "missing value" => "键后面缺少「=」和值",
        "missing assignment between key-value pairs" | "missing comma between key-value pairs" => {
            "两个键值之间缺少分隔（一行写一个键值）"
        }
        "extra assignment between key-value pairs" | "extra `=`" => "多了一个「=」",
        "missing comma between array elements" => "列表的元素之间缺少逗号",
        "extra comma in array" | "extra comma in inline table" => "多了一个逗号",
        "invalid unquoted key" | "unquoted keys cannot be empty" => "键名无效：不加引号的键只能用字母、数字、- 和 _",
        "missing opening quote" => "引号不成对",
        "invalid basic string" | "invalid multi-line basic string" => "文字的写法有误（引号不成对，或有不允许的字符）",
        "missing escaped value" | "too few unicode value digits" => "反斜杠转义写法有误",
        "unexpected content" | "unexpected key or value" | "unexpected content between comment and newline" => {
            "这一行有多余的内容"
        }
        "invalid value" => "值的写法有误",
        "invalid key-value pair" | "invalid inline table element" => "键值的写法有误",
        "unexpected leading zero" | "redundant numeric sign" | "unexpected sign" | "`_` may only go between digits" => {
            "数字的写法有误"
        }
        "invalid comment character" => "注释中有不允许的字符",
        "carriage return must be followed by newline" => "换行符有误",
        _ => return None,
    })
}

/// serde's problems with a value (`serde::de::Error`'s own wording).
fn serde_problem(message: &str) -> Option<String> {
    let quoted = |text: &str| -> Vec<String> { text.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    // `unknown field `x`, expected one of `a`, `b``: the name, then the choices.
    for (prefix, what, choices) in [("unknown field ", "键", "可用的键"), ("unknown variant ", "值", "可选")] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let names = quoted(rest);
            let given = names.first()?;
            return Some(match names.get(1..).filter(|others| !others.is_empty()) {
                Some(others) => format!("不认识的{what}「{given}」；{choices}：{}", others.join("、")),
                None => format!("不认识的{what}「{given}」"),
            });
        }
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return Some(format!("缺少键「{}」", quoted(rest).first()?));
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return Some(format!("键「{}」写了两次", quoted(rest).first()?));
    }
    for (prefix, heading) in [("invalid type: ", "类型不对"), ("invalid value: ", "值不对")] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (found, wanted) = rest.rsplit_once(", expected ")?;
            // A whole number beyond what the key takes: toml reads it into
            // the widest integer (`as i128`), or it does not fit the key's.
            if found.contains(" as i128") {
                return Some("数字太大".to_string());
            }
            if let (Some(number), Some(range)) = (found.strip_prefix("integer "), whole_range(wanted)) {
                let number = number.trim_matches('`');
                return Some(format!("整数 {number} 超出范围；请填 {range} 的整数"));
            }
            return Some(format!("{heading}：写的是{}，应为{}", found_zh(found), wanted_zh(wanted)));
        }
    }
    if message.starts_with("invalid length ") {
        return Some("列表的长度不对".to_string());
    }
    None
}

/// The range of serde's whole-number type `wanted`.
fn whole_range(wanted: &str) -> Option<String> {
    let (least, most): (i128, i128) = match wanted.trim() {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    };
    Some(format!("{least} 到 {most}"))
}

/// serde's `Unexpected` (what was written) in Chinese.
fn found_zh(found: &str) -> String {
    let value = |text: &str| text.trim_matches('`').to_string();
    if let Some(text) = found.strip_prefix("string ") {
        return format!("文字 {text}");
    }
    if let Some(number) = found.strip_prefix("integer ") {
        return format!("整数 {}", value(number));
    }
    if let Some(number) = found.strip_prefix("floating point ") {
        return format!("小数 {}", value(number));
    }
    if let Some(flag) = found.strip_prefix("boolean ") {
        return format!("布尔值 {}", value(flag));
    }
    match found {
        "sequence" => "列表".to_string(),
        "map" => "表".to_string(),
        "unit value" => "空值".to_string(),
        other => other.to_string(),
    }
}

/// serde's `Expected` (what the field takes) in Chinese.
fn wanted_zh(wanted: &str) -> String {
    let wanted = wanted.trim().trim_start_matches("a ").trim_start_matches("an ");
    match wanted {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => {
            "整数（不加引号）".to_string()
        }
        "f32" | "f64" => "数（不加引号）".to_string(),
        "string" | "borrowed string" | "str" | "char" => "文字（加引号）".to_string(),
        "boolean" | "bool" => "true 或 false".to_string(),
        "sequence" => "列表".to_string(),
        "map" => "表".to_string(),
        other if other.starts_with("struct ") || other.ends_with(" table") => "表".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::toml_problem_zh;

    #[test]
    fn the_toml_and_serde_words_read_in_chinese() {
        let cases = [
            (
                "unknown field `changes`, expected one of `name`, `data`, `policy`",
                "不认识的键「changes」；可用的键：name、data、policy",
            ),
            ("missing field `school_id`", "缺少键「school_id」"),
            ("invalid type: string \"many\", expected u32", "类型不对：写的是文字 \"many\"，应为整数（不加引号）"),
            ("invalid type: integer `5`, expected a string", "类型不对：写的是整数 5，应为文字（加引号）"),
            ("unclosed table, expected `]`", "表头缺少右方括号「]」（这里应为 ]）"),
            ("string values must be quoted, expected literal string", "文字要加引号，例如 \"小学\"（这里应为 文字）"),
            ("duplicate key", "键重复：同一个键写了两次"),
            ("a message of no known kind", "这里的写法不符合 TOML 的规定（键 = 值，文字加引号，表头写在方括号里）"),
        ];
        for (english, chinese) in cases {
            assert_eq!(toml_problem_zh(english), chinese, "{english}");
        }
    }
}
