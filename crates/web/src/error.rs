//! What a handler could not do. Handlers return `Result<Response, WebError>` and use `?`: a
//! store error becomes the error page (an operation id the person can report, the detail in
//! the server log only), a ready answer (a "not found" page, a redirect) goes out as it is.
//! The guard in front of every route words the error page in the reader's language, since
//! only it knows the language and the server's state.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub enum WebError {
    /// Something failed: the page says so with an operation id; `detail` goes to the log.
    Failed { status: StatusCode, detail: String },
    /// A page already made (not found, forbidden, a form shown again).
    Answer(Response),
}

impl WebError {
    pub fn failed(status: StatusCode, detail: impl std::fmt::Display) -> Self {
        WebError::Failed {
            status,
            detail: detail.to_string(),
        }
    }

    /// Something failed inside Mamori (not the request's fault): a 500 with an operation id.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        WebError::failed(StatusCode::INTERNAL_SERVER_ERROR, detail)
    }
}

impl From<store::Error> for WebError {
    fn from(e: store::Error) -> Self {
        WebError::failed(StatusCode::INTERNAL_SERVER_ERROR, e)
    }
}

impl From<Response> for WebError {
    fn from(r: Response) -> Self {
        WebError::Answer(r)
    }
}

/// Marks a response the guard turns into the error page.
#[derive(Clone, Debug)]
pub(crate) struct Failed(pub(crate) Arc<str>);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Answer(r) => r,
            WebError::Failed { status, detail } => {
                let mut r = status.into_response();
                r.extensions_mut().insert(Failed(Arc::from(detail)));
                r
            }
        }
    }
}

/// The result of a handler.
pub type Page = Result<Response, WebError>;
