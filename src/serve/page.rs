//! The pages' frame: the language of a request, the layout every page
//! shares, HTML escaping, times in Beijing time, and the error page.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::render::html::escape;
use crate::render::Lang;

/// The language of a request: English when the `lang=en` cookie is set.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let english = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim() == "lang=en");
    if english {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// A word in the page's language.
pub fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The language code of `lang` ("zh", "en").
pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// HTML-escaped text.
pub fn h(text: &str) -> String {
    escape(text)
}

/// What every page shares: the token every form posts back, and the language.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The language of the page.
    pub lang: Lang,
    /// The anti-forgery token of the forms.
    pub csrf: String,
    /// The request's path and query, for the language switch to come back to.
    pub path: String,
}

impl Ctx {
    /// A form's action with the page's anti-forgery token.
    pub fn action(&self, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        h(&format!("{path}{sep}csrf={}", self.csrf))
    }

    /// A word in the page's language.
    pub fn t(&self, en: &'static str, zh: &'static str) -> &'static str {
        t(self.lang, en, zh)
    }
}

/// A whole page: head, the navigation bar, `body`.
pub fn layout(ctx: &Ctx, title: &str, body: &str) -> Html<String> {
    let lang = ctx.lang;
    let back = percent_encode(&ctx.path);
    let other = match lang {
        Lang::Zh => format!(r#"<a href="/lang/en?back={back}" id="lang-switch">English</a>"#),
        Lang::En => format!(r#"<a href="/lang/zh?back={back}" id="lang-switch">中文</a>"#),
    };
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · rotaplan</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top">
<a href="/" class="brand">rotaplan · {product}</a>
<nav><a href="/">{home}</a> <a href="/versions">{versions}</a> {other}</nav>
</header>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"#,
        html_lang = t(lang, "en", "zh-CN"),
        title = h(title),
        product = t(lang, "teacher exchange rotation", "教师交流轮岗"),
        home = t(lang, "Counties", "县域数据"),
        versions = t(lang, "Versions", "历史版本"),
    ))
}

/// `text` with everything but unreserved URL characters percent-encoded.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A time (seconds since 1970, UTC) in Beijing time, `2026-07-10 14:03`.
/// China has one time zone and no summer time, so UTC+8 is exact.
pub fn beijing_time(seconds: i64) -> String {
    let local = seconds + 8 * 3600;
    let days = local.div_euclid(86_400);
    let second_of_day = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", second_of_day / 3600, second_of_day % 3600 / 60)
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A failed request as a page with a clear message, never a stack trace.
#[derive(Debug)]
pub struct PageError {
    /// Its state.
    pub status: StatusCode,
    /// The language of the page.
    pub lang: Lang,
    /// What happened, in the page language.
    pub message: String,
    /// Extra HTML under the message (a table of input problems).
    pub detail: String,
}

impl PageError {
    /// An error with a message in both languages.
    pub fn new(status: StatusCode, lang: Lang, en: impl Into<String>, zh: impl Into<String>) -> PageError {
        let message = match lang {
            Lang::En => en.into(),
            Lang::Zh => zh.into(),
        };
        PageError { status, lang, message, detail: String::new() }
    }

    /// Nothing with that number.
    pub fn not_found(lang: Lang) -> PageError {
        PageError::new(
            StatusCode::NOT_FOUND,
            lang,
            "There is no such page. It may have been opened from an old link; go back to the county list.",
            "没有这个页面，可能是旧链接。请回到县域数据列表。",
        )
    }

    /// The machine failed (the workspace database, a file).
    pub fn internal(lang: Lang, error: &crate::error::Error) -> PageError {
        let text = crate::render::terminal::error_text(error, lang);
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            lang,
            format!("The server could not do this: {text}"),
            format!("服务器未能完成此操作：{text}"),
        )
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let ctx = Ctx { lang: self.lang, csrf: String::new(), path: "/".into() };
        let title = t(self.lang, "Something went wrong", "出错了");
        let body = format!(
            r#"<div class="error" id="error-message"><p>{}</p>{}</div><p><a href="/">{}</a></p>"#,
            h(&self.message),
            self.detail,
            t(self.lang, "Back to the county list", "返回县域数据列表"),
        );
        (self.status, layout(&ctx, title, &body)).into_response()
    }
}

impl From<(Lang, crate::error::Error)> for PageError {
    fn from((lang, error): (Lang, crate::error::Error)) -> PageError {
        PageError::internal(lang, &error)
    }
}

/// The result of a page handler.
pub type PageResult = Result<Response, PageError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_time_is_utc_plus_eight() {
        // 2026-07-10 06:03:00 UTC is 14:03 in Beijing.
        assert_eq!(beijing_time(1_783_663_380), "2026-07-10 14:03");
        // Past midnight UTC+8 the date moves on.
        assert_eq!(beijing_time(1_783_699_200), "2026-07-11 00:00");
        assert_eq!(beijing_time(0), "1970-01-01 08:00");
    }
}
