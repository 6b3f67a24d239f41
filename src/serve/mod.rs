//! `rotaplan serve`: a local web workspace for a county bureau's HR office.
//! Pages are drawn on the server (no build step, no CDN; one small script
//! and one style sheet embedded in the binary); every data set, run and
//! publication is kept in the workspace's SQLite file (`store`); solves run
//! as child processes of this binary on a bounded pool (`runs`), so the page
//! and the command line plan with the same engine.
//!
//! Safety: loopback only unless `--listen` with an access token; every
//! request is checked for its host (no DNS rebinding), every POST for the
//! page's anti-forgery token and its origin; requests name data by integer
//! ids only, never by paths; uploads are bounded; every error is a page.

pub mod page;
pub mod pages;
pub mod runs;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::error::Error;
use crate::render::Lang;
use page::{lang_of, Ctx, PageError};
use runs::Runs;
use store::Store;

/// How `rotaplan serve` was started.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The workspace folder (created when missing).
    pub workspace: PathBuf,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The access token, required when `listen` is not a loopback address.
    pub token: Option<String>,
    /// The rotaplan binary the solves run (this one).
    pub exe: PathBuf,
    /// Solver processes at once.
    pub slots: usize,
    /// Runs waiting or running at most.
    pub max_waiting: usize,
}

/// What every request handler shares.
pub struct App {
    /// The workspace database.
    pub store: Arc<Store>,
    /// The pool of solver processes.
    pub runs: Arc<Runs>,
    /// The anti-forgery token of this server's pages.
    pub csrf: String,
    token: Option<String>,
    /// `host:port` values a request may name (loopback only).
    hosts: Option<Vec<String>>,
}

/// The shared state.
pub type AppState = Arc<App>;

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Ctx, Self::Rejection> {
        let path = parts.uri.path_and_query().map_or("/".to_string(), |p| p.as_str().to_string());
        Ok(Ctx { lang: lang_of(&parts.headers), csrf: state.csrf.clone(), path })
    }
}

/// A random token of 32 hex digits.
fn random_token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens the workspace and serves until Ctrl+C.
pub fn serve(config: ServeConfig, lang: Lang) -> Result<(), Error> {
    if !config.listen.ip().is_loopback() && config.token.is_none() {
        return Err(Error::input(
            "--listen",
            crate::error::Text::both(
                format!("{} is not a loopback address; give --token with an access token of at least 16 characters, or listen on 127.0.0.1", config.listen),
                format!("{} 不是本机回环地址；请用 --token 给出至少 16 个字符的访问令牌，或只在 127.0.0.1 上监听", config.listen),
            ),
        ));
    }
    if config.workspace.exists() && !config.workspace.is_dir() {
        return Err(Error::input(
            config.workspace.display().to_string(),
            crate::error::Text::both(
                "is a file, not a folder; give the workspace a folder (it is created when missing)",
                "是一个文件，不是文件夹；请给工作台一个文件夹（没有时会新建）",
            ),
        ));
    }
    std::fs::create_dir_all(&config.workspace)
        .map_err(|e| Error::io(format!("creating the workspace {}", config.workspace.display()), e))?;
    let lock_path = config.workspace.join(".lock");
    let lock =
        std::fs::File::create(&lock_path).map_err(|e| Error::io(format!("opening {}", lock_path.display()), e))?;
    if lock.try_lock().is_err() {
        return Err(Error::input(
            config.workspace.display().to_string(),
            crate::error::Text::both(
                "another rotaplan serve is using this workspace; stop it first, or give another folder",
                "另一个 rotaplan serve 正在使用这个工作区；请先停止它，或换一个文件夹",
            ),
        ));
    }
    let store = Arc::new(Store::open(&config.workspace)?);
    store.interrupt_unfinished()?;
    let scratch = config.workspace.join("runs");
    runs::stop_leftovers(&scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| Error::io(format!("creating {}", scratch.display()), e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the web server".to_string(), e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| Error::io(format!("listening on {}", config.listen), e))?;
        let address = listener.local_addr().map_err(|e| Error::io("reading the address".to_string(), e))?;
        let hosts = address.ip().is_loopback().then(|| {
            let port = address.port();
            vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")]
        });
        let app = Arc::new(App {
            store,
            runs: Arc::new(Runs::new(config.exe.clone(), scratch, config.slots, config.max_waiting)),
            csrf: random_token(),
            token: config.token.clone(),
            hosts,
        });
        let shown =
            if address.ip().is_unspecified() { format!("127.0.0.1:{}", address.port()) } else { address.to_string() };
        use std::io::Write;
        // A closed stdout loses the line; the server runs all the same.
        let _ = writeln!(std::io::stdout(), "{}", started_line(&shown, lang));
        let _ = std::io::stdout().flush();
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::io("serving".to_string(), e))?;
        drop(lock);
        Ok(())
    })
}

/// The first line `serve` prints: the address to open.
fn started_line(address: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("rotaplan workspace: http://{address}/  (open it in a browser; Ctrl+C stops)"),
        Lang::Zh => format!("rotaplan 工作区：http://{address}/  （用浏览器打开这个地址；按 Ctrl+C 停止）"),
    }
}

/// Every route, behind the checks.
pub fn router(app: AppState) -> Router {
    let panic_page = |_: Box<dyn std::any::Any + Send + 'static>| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            Lang::Zh,
            "The server met an unexpected problem; the workspace is unchanged. Try again.",
            "服务器遇到意外问题，工作区没有改动。请重试。",
        )
        .into_response()
    };
    pages::routes()
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_page))
        .with_state(app)
}

async fn not_found(ctx: Ctx) -> PageError {
    PageError::not_found(ctx.lang)
}

/// The query value of `key`, if any.
fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| pair.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
}

/// An error answer that is not a page (axum's own rejection of a request
/// it could not read: a number in the path that is not one, a form of the
/// wrong kind, a body over the bound) as a page with a clear message.
fn rejection_page(method: &Method, lang: Lang, response: &Response) -> Option<Response> {
    let status = response.status();
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .is_some_and(|c| c.starts_with("text/html"));
    if html || !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let page = match status {
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND if method == Method::GET || method == Method::HEAD => {
            PageError::not_found(lang)
        }
        StatusCode::PAYLOAD_TOO_LARGE => PageError::new(
            status,
            lang,
            "What was sent is larger than this server accepts.",
            "提交的内容超过了本服务接受的大小。",
        ),
        StatusCode::METHOD_NOT_ALLOWED => PageError::new(
            status,
            lang,
            "This address cannot be opened this way. Go back to the county list and use its links and buttons.",
            "不能这样打开这个地址。请回到县域数据列表，使用页面上的链接和按钮。",
        ),
        _ => PageError::new(
            status,
            lang,
            "The request could not be read. Reload the page and try again.",
            "无法读取这个请求。请刷新页面后重试。",
        ),
    };
    Some(page.into_response())
}

/// The checks every request passes: host, access token, anti-forgery token
/// and origin of a POST; then the security headers of every answer.
async fn guard(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let lang = lang_of(request.headers());
    let refuse = |status, en: &str, zh: &str| PageError::new(status, lang, en, zh).into_response();
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_string();
    if let Some(hosts) = &app.hosts {
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
            return refuse(
                StatusCode::MISDIRECTED_REQUEST,
                "This server answers only at its own address.",
                "本服务只响应它自己的地址。",
            );
        }
    }
    let query = request.uri().query().unwrap_or("").to_string();
    if let Some(token) = &app.token {
        let cookie_ok = request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| c.trim().strip_prefix("rotaplan_token=") == Some(token.as_str()));
        if !cookie_ok {
            if query_value(&query, "token") == Some(token.as_str()) {
                let cookie = format!("rotaplan_token={token}; Path=/; HttpOnly; SameSite=Strict");
                let path = request.uri().path();
                let back = if pages::is_local_path(path) { path } else { "/" };
                let mut response = axum::response::Redirect::to(back).into_response();
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().insert(header::SET_COOKIE, value);
                }
                return response;
            }
            return refuse(
                StatusCode::UNAUTHORIZED,
                "Open the address with the access token that rotaplan serve printed.",
                "请用 rotaplan serve 打印的带访问令牌的地址打开。",
            );
        }
    }
    if request.method() == Method::POST {
        if query_value(&query, "csrf") != Some(app.csrf.as_str()) {
            return refuse(
                StatusCode::FORBIDDEN,
                "This page has expired (the server was restarted, or the form came from another site). Reload the page and try again.",
                "页面已过期（服务已重启，或表单来自其他网站）。请刷新页面后重试。",
            );
        }
        let origin = request.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok());
        if let Some(origin) = origin {
            let same = origin.strip_prefix("http://").is_some_and(|o| o.eq_ignore_ascii_case(&host));
            if !same {
                return refuse(
                    StatusCode::FORBIDDEN,
                    "A form from another site was refused.",
                    "已拒绝来自其他网站的表单。",
                );
            }
        }
    }
    let method = request.method().clone();
    let mut response = next.run(request).await;
    if let Some(page) = rejection_page(&method, lang, &response) {
        response = page;
    }
    let headers = response.headers_mut();
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
    ));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.entry(header::X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("SAMEORIGIN"));
    response
}
