//! The overview page: the facilities registered in this deployment, with real figures only.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::{Frame, error_page, page_lang, render};
use crate::AppState;
use crate::args;

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

pub struct Row {
    pub short_name: String,
    pub name: String,
    pub kind: String,
    pub beds: String,
    pub prefecture: String,
    pub assets: i64,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    frame: Frame,
    count: String,
    rows: Vec<Row>,
}

pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let summaries = match state.store().facility_summaries().await {
        Ok(s) => s,
        Err(e) => return error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let rows = summaries
        .into_iter()
        .map(|s| {
            let f = s.facility;
            Row {
                short_name: f.short_name.to_string(),
                name: f.name,
                kind: lang.t(&format!("facility-kind-{}", f.kind.code())),
                beds: f
                    .beds
                    .map_or_else(|| lang.t("beds-none"), |b| b.get().to_string()),
                prefecture: f.prefecture.map_or_else(
                    || lang.t("beds-none"),
                    |p| match lang {
                        crate::Lang::Ja => p.name_ja().to_string(),
                        crate::Lang::En => p.name_en().to_string(),
                    },
                ),
                assets: s.assets,
            }
        })
        .collect::<Vec<_>>();
    let page = HomePage {
        count: lang.tr("page-home-count", args![count = rows.len()]),
        frame: Frame::new(lang),
        rows,
    };
    render(StatusCode::OK, page)
}
