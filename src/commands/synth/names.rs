//! Names of people, villages and schools: fiction in the manner of southern
//! Shanxi, and Chinese numerals for the county town's schools.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::domain::Gender;

/// First characters of village names.
pub(super) const VILLAGE_HEADS: [&str; 20] = [
    "东", "西", "南", "北", "上", "下", "前", "后", "石", "柳", "杨", "李", "王", "张", "马", "高", "河", "桃", "枣",
    "罗",
];

/// Second characters of village names.
pub(super) const VILLAGE_TAILS: [&str; 10] = ["村", "庄", "沟", "坡", "峪", "寨", "岭", "湾", "坪", "洼"];

/// Surnames common in southern Shanxi.
pub(super) const SURNAMES: [&str; 60] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "郭", "任", "武", "贾", "韩", "冯", "牛", "田", "史", "梁", "秦", "卫",
    "段", "席", "崔", "孙", "胡", "高", "马", "宋", "郝", "闫", "薛", "吴", "周", "徐", "孟", "范", "董", "曹", "程",
    "许", "苏", "乔", "侯", "申", "霍", "常", "白", "原", "靳", "吕", "姚", "卢", "温", "翟", "邢", "尚", "解", "岳",
    "裴", "柴", "樊",
];

/// Given-name characters used more for women.
pub(super) const GIVEN_FEMALE: [&str; 40] = [
    "丽", "芳", "娟", "敏", "静", "霞", "燕", "红", "艳", "玲", "慧", "婷", "雪", "梅", "英", "琴", "晶", "洁", "佳",
    "璐", "萍", "瑶", "欣", "倩", "莉", "娜", "颖", "琳", "悦", "媛", "蓉", "丹", "雅", "秀", "月", "彤", "薇", "茜",
    "凤", "兰",
];

/// Given-name characters used more for men.
pub(super) const GIVEN_MALE: [&str; 40] = [
    "伟", "强", "军", "磊", "勇", "杰", "涛", "斌", "鹏", "刚", "明", "华", "建", "平", "东", "峰", "波", "辉", "林",
    "浩", "宇", "志", "文", "俊", "超", "亮", "鑫", "锋", "龙", "海", "振", "国", "庆", "晋", "斌", "凯", "飞", "彬",
    "旭", "晨",
];

/// Given-name characters used for anyone.
pub(super) const GIVEN_ANY: [&str; 20] = [
    "晓", "春", "秋", "新", "玉", "小", "永", "金", "艺", "思", "子", "嘉", "安", "宁", "文", "清", "一", "晴", "乐",
    "远",
];

/// A plausible two- or three-character name (fiction).
pub(super) fn draw_name(rng: &mut ChaCha8Rng, gender: Gender) -> String {
    let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let first = given_name_character(rng, gender);
    if rng.random_bool(0.35) {
        format!("{surname}{first}")
    } else {
        let second = given_name_character(rng, gender);
        format!("{surname}{first}{second}")
    }
}

pub(super) fn given_name_character(rng: &mut ChaCha8Rng, gender: Gender) -> &'static str {
    if rng.random_bool(0.25) {
        GIVEN_ANY[rng.random_range(0..GIVEN_ANY.len())]
    } else if gender == Gender::Female {
        GIVEN_FEMALE[rng.random_range(0..GIVEN_FEMALE.len())]
    } else {
        GIVEN_MALE[rng.random_range(0..GIVEN_MALE.len())]
    }
}

/// Decimal digits of `n` (1 for 0).
pub(super) fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// `n` in Chinese numerals as in school names (第十二小学), for 1 ≤ n ≤ 99,999.
pub(super) fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const UNITS: [&str; 5] = ["", "十", "百", "千", "万"];
    if n == 0 {
        return DIGITS[0].to_string();
    }
    if (10..20).contains(&n) {
        let ones = n % 10;
        return if ones == 0 { "十".to_string() } else { format!("十{}", DIGITS[ones]) };
    }
    let places: Vec<usize> = n.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &d) in places.iter().enumerate() {
        let unit = places.len() - 1 - i;
        if d == 0 {
            zero_pending = true;
            continue;
        }
        if zero_pending && !out.is_empty() {
            out.push_str(DIGITS[0]);
        }
        zero_pending = false;
        out.push_str(DIGITS[d]);
        out.push_str(UNITS[unit]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_read_as_in_school_names() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(101), "一百零一");
        assert_eq!(chinese_number(110), "一百一十");
        assert_eq!(chinese_number(1005), "一千零五");
    }

    #[test]
    fn digits_counts_decimal_places() {
        assert_eq!(digits(0), 1);
        assert_eq!(digits(9), 1);
        assert_eq!(digits(10), 2);
        assert_eq!(digits(5000), 4);
    }
}
