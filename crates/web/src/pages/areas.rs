//! Areas whose pages are still to come. Each says so plainly and what it will hold; none
//! shows a figure that the database does not have.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::{FacilityPage, Frame, render};

#[derive(Template)]
#[template(path = "facility/area.html")]
struct AreaPage {
    frame: Frame,
    title: String,
    purpose: String,
}

async fn area(page: FacilityPage, id: &str) -> Response {
    let frame = match page.frame().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let lang = page.lang;
    let page = AreaPage {
        frame,
        title: lang.t(&format!("nav-{id}")),
        purpose: lang.t(&format!("area-{id}-purpose")),
    };
    render(StatusCode::OK, page)
}

macro_rules! area_handler {
    ($name:ident, $id:literal) => {
        pub async fn $name(page: FacilityPage) -> Response {
            area(page, $id).await
        }
    };
}

area_handler!(logs, "logs");
area_handler!(backup, "backup");
