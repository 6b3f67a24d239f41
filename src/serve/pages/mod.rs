//! The workspace's pages, one module per area; each gives its routes.

pub mod dataset;
pub mod home;
pub mod list;
pub mod register;
pub mod run;
pub mod versions;
pub mod whatif;

use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use crate::error::Error;
use crate::io::Loaded;
use crate::serve::page::{Ctx, PageError};
use crate::serve::AppState;

/// The style sheet and the script, embedded in the binary.
const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/app.js");

/// Every page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/lang/{code}", get(switch_language))
        .merge(home::routes())
        .merge(dataset::routes())
        .merge(run::routes())
        .merge(list::routes())
        .merge(versions::routes())
        .merge(whatif::routes())
        .merge(register::routes())
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

#[derive(serde::Deserialize)]
struct Back {
    back: Option<String>,
}

/// Sets the language cookie and goes back to the page it came from (a
/// local path only).
async fn switch_language(axum::extract::Path(code): axum::extract::Path<String>, Query(back): Query<Back>) -> Response {
    let value = if code == "en" { "en" } else { "zh" };
    let target = back.back.filter(|b| is_local_path(b));
    let mut response = Redirect::to(target.as_deref().unwrap_or("/")).into_response();
    let cookie = format!("lang={value}; Path=/; Max-Age=31536000; SameSite=Lax");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// Whether `path` is a path of this server to go back to: it starts with one
/// `/` and holds only plain URL characters (no control character, space or
/// backslash that a browser might read as the start of another host).
pub fn is_local_path(path: &str) -> bool {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/-._~?=&%#".contains(c);
    path.starts_with('/') && !path.starts_with("//") && path.chars().all(plain)
}

/// Loads a data set's stored files exactly as `check` would, one load at a
/// time: a small upload may unpack to hundreds of MB within the readers'
/// limits, and eight of them side by side took the server to 3.8 GB.
pub fn load_files(files: Vec<(String, Vec<u8>)>) -> Result<Loaded, Error> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    crate::io::load_files(files)
}

/// A data set loaded for a page; input problems become a page (they cannot
/// happen for a stored data set unless the program's checks changed).
pub async fn load_dataset(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<(crate::serve::store::Dataset, Loaded), PageError> {
    let dataset = state
        .store
        .dataset(id)
        .map_err(|e| PageError::from((ctx.lang, e)))?
        .ok_or_else(|| PageError::not_found(ctx.lang))?;
    let files = state.store.dataset_files(id).map_err(|e| PageError::from((ctx.lang, e)))?;
    let lang = ctx.lang;
    let loaded = tokio::task::spawn_blocking(move || load_files(files))
        .await
        .map_err(|_| {
            PageError::new(StatusCode::INTERNAL_SERVER_ERROR, lang, "loading the data failed", "读取数据失败")
        })?
        .map_err(|e| input_error_page(lang, &e))?;
    Ok((dataset, loaded))
}

/// An input error as a page: every problem in a table (file and line,
/// column, what is wrong and what to do), as `check` lists them.
pub fn input_error_page(lang: crate::render::Lang, error: &Error) -> PageError {
    use crate::serve::page::{h, t};
    let Error::Input(problems) = error else { return PageError::internal(lang, error) };
    let mut rows = String::new();
    // A reader's list ends with a problem counting the ones left out.
    for p in problems.iter().take(crate::error::MOST_LISTED_PROBLEMS + 1) {
        let message = match lang {
            crate::render::Lang::Zh => p.message_zh.as_deref().unwrap_or(&p.message),
            crate::render::Lang::En => &p.message,
        };
        rows.push_str(&format!(
            "<tr><td class=\"location\">{}</td><td>{}</td><td>{}</td></tr>\n",
            h(&p.location),
            h(&p.column),
            h(message)
        ));
    }
    let most = crate::error::MOST_LISTED_PROBLEMS;
    let mut page = if problems.len() > most {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            format!("The data has more than {most} problems; the first {most} are listed. Correct them in the file and import it again."),
            format!("数据中的问题超过 {most} 处，下面列出前 {most} 处。请在文件中改正后重新导入。"),
        )
    } else {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            format!("The data has {} problem(s). Correct them in the file and import it again.", problems.len()),
            format!("数据有 {} 处问题。请在文件中改正后重新导入。", problems.len()),
        )
    };
    page.detail = format!(
        "<table class=\"problems\" id=\"problems\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n{rows}</tbody></table>",
        t(lang, "File and line", "文件与行"),
        t(lang, "Column", "列"),
        t(lang, "What is wrong, and what to do", "问题与改法"),
    );
    page
}

/// A page's database failure as an error page.
pub fn db(ctx: &Ctx) -> impl Fn(Error) -> PageError + '_ {
    move |e| PageError::from((ctx.lang, e))
}
