//! Security headers on every response. Mamori's pages hold a map of a hospital's weaknesses:
//! nothing is framed, nothing inline runs, nothing leaks through the Referer.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                   base-uri 'none'";

pub async fn headers(State(state): State<crate::AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if state.tls() {
        // Served over TLS: browsers must never come back over plain HTTP.
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    res
}

/// Refuses state-changing requests that a browser says come from another site
/// (`Sec-Fetch-Site`, `Origin`). Old browsers send neither; for them the form token that the
/// session guard checks is the protection.
pub fn cross_origin()
-> tower_http::csrf::CsrfLayer<impl tower_http::csrf::ResponseForProtectionError<axum::body::Body>>
{
    tower_http::csrf::CsrfLayer::new().with_rejection_response(|_error| {
        let body = format!(
            "{}\n{}",
            crate::Lang::Ja.t("error-cross-site"),
            crate::Lang::En.t("error-cross-site")
        );
        let mut res = axum::response::Response::new(axum::body::Body::from(body));
        *res.status_mut() = axum::http::StatusCode::FORBIDDEN;
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        res
    })
}
