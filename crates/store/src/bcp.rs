//! The parts of the BCP the director writes: sections, paper operation per department and
//! approvals. Each change is one audited transaction of the facility's chain.

use domain::bcp::{Approval, PaperPlan, Section};
use domain::{Actor, Date, Timestamp};
use serde_json::json;

use crate::row::{next_position, stored, touched};
use crate::{FacilityScope, Result, Store};

/// What the director wrote of the BCP.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BcpText {
    pub sections: Vec<(Section, String)>,
    /// (id, plan), in the order added.
    pub paper: Vec<(i64, PaperPlan)>,
    /// The newest approval.
    pub approval: Option<Approval>,
    /// When the newest approval was recorded.
    pub approved_at: Option<Timestamp>,
    /// When a section was last written.
    pub changed_at: Option<Timestamp>,
}

impl Store {
    /// Writes a section (an empty text clears it).
    pub async fn set_bcp_section(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        section: Section,
        body: &str,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        crate::sql::query("DELETE FROM bcp_section WHERE facility_id = $1 AND section = $2")
            .bind(scope.facility().0)
            .bind(section.code())
            .execute(w.conn())
            .await?;
        if !body.is_empty() {
            crate::sql::query(
                "INSERT INTO bcp_section (facility_id, section, body, updated_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(scope.facility().0)
            .bind(section.code())
            .bind(body)
            .bind(now.unix_millis())
            .execute(w.conn())
            .await?;
        }
        w.audit(
            Some(scope.facility()),
            "bcp.section",
            "facility",
            scope.facility().0,
            json!({"section": section.code(), "chars": body.chars().count()}),
        )
        .await?;
        w.commit().await
    }

    pub async fn add_paper_plan(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        plan: &PaperPlan,
    ) -> Result<i64> {
        let mut w = self.begin(scope, actor, now).await?;
        let position = next_position(&mut w, "bcp_paper", scope.facility()).await?;
        let id: i64 = crate::sql::query(
            "INSERT INTO bcp_paper (facility_id, position, department, procedure, forms) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(scope.facility().0)
        .bind(position)
        .bind(&plan.department)
        .bind(&plan.procedure)
        .bind(plan.forms.join("\n"))
        .fetch_one(w.conn())
        .await?
        .try_get("id")?;
        w.audit(
            Some(scope.facility()),
            "bcp.paper_add",
            "facility",
            scope.facility().0,
            json!({"department": plan.department, "forms": plan.forms.len()}),
        )
        .await?;
        w.commit().await?;
        Ok(id)
    }

    pub async fn remove_paper_plan(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        id: i64,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed = crate::sql::query("DELETE FROM bcp_paper WHERE facility_id = $1 AND id = $2")
            .bind(scope.facility().0)
            .bind(id)
            .execute(w.conn())
            .await?
            .rows_affected();
        touched(changed, "paper plan", id)?;
        w.audit(
            Some(scope.facility()),
            "bcp.paper_remove",
            "facility",
            scope.facility().0,
            json!({"plan": id}),
        )
        .await?;
        w.commit().await
    }

    pub async fn approve_bcp(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        approval: &Approval,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        crate::sql::query(
            "INSERT INTO bcp_approval (facility_id, approved_by, approved_on, recorded_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(scope.facility().0)
        .bind(&approval.by)
        .bind(approval.on.to_string())
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility()),
            "bcp.approve",
            "facility",
            scope.facility().0,
            json!({"on": approval.on.to_string()}),
        )
        .await?;
        w.commit().await
    }

    pub async fn bcp_text(&self, scope: &FacilityScope) -> Result<BcpText> {
        let f = scope.facility().0;
        let changed: Option<i64> = crate::sql::query(
            "SELECT MAX(updated_at) AS at FROM bcp_section WHERE facility_id = $1",
        )
        .bind(f)
        .fetch_one(&self.db.pool)
        .await?
        .try_get("at")?;
        let sections =
            crate::sql::query("SELECT section, body FROM bcp_section WHERE facility_id = $1")
                .bind(f)
                .fetch_all(&self.db.pool)
                .await?
                .iter()
                .map(|r| {
                    let code: String = r.try_get("section")?;
                    let section =
                        stored("bcp_section", "section", f, &code, Section::parse(&code))?;
                    Ok((section, r.try_get::<String, _>("body")?))
                })
                .collect::<Result<Vec<_>>>()?;
        let paper = crate::sql::query(
            "SELECT id, department, procedure, forms FROM bcp_paper WHERE facility_id = $1 \
             ORDER BY position, id",
        )
        .bind(f)
        .fetch_all(&self.db.pool)
        .await?
        .iter()
        .map(|r| {
            let forms: String = r.try_get("forms")?;
            Ok((
                r.try_get::<i64, _>("id")?,
                PaperPlan {
                    department: r.try_get("department")?,
                    procedure: r.try_get("procedure")?,
                    forms: forms.lines().map(str::to_string).collect(),
                },
            ))
        })
        .collect::<Result<Vec<_>>>()?;
        let approval = crate::sql::query(
            "SELECT id, approved_by, approved_on, recorded_at FROM bcp_approval \
             WHERE facility_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1",
        )
        .bind(f)
        .fetch_optional(&self.db.pool)
        .await?
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let on: String = r.try_get("approved_on")?;
            let at: i64 = r.try_get("recorded_at")?;
            Ok::<_, crate::Error>((
                Approval {
                    by: r.try_get("approved_by")?,
                    on: stored("bcp_approval", "approved_on", id, &on, Date::parse(&on))?,
                },
                Timestamp::from_unix_millis(at),
            ))
        })
        .transpose()?;
        Ok(BcpText {
            sections,
            paper,
            approved_at: approval.as_ref().map(|(_, at)| *at),
            approval: approval.map(|(a, _)| a),
            changed_at: changed.map(Timestamp::from_unix_millis),
        })
    }
}
