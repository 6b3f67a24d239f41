//! Writing plan folders: CSV files with a UTF-8 BOM for Chinese Excel,
//! summary.json, all held in memory and committed as one whole folder
//! (see [`crate::render::outdir`]), so a failed run never leaves half-written output.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::domain::{County, Level};
use crate::error::Error;
use crate::rules::indicators::{CountyFigures, Indicator, SectionFigures};

/// Files of one output folder, held in memory until `commit`.
#[derive(Debug, Default)]
pub struct OutputFiles {
    files: BTreeMap<String, Vec<u8>>,
}

impl OutputFiles {
    /// An empty set of files.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds (or replaces) a file.
    pub fn add(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        self.files.insert(name.into(), bytes);
    }
    /// The bytes of a file added before.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice)
    }
    /// Adds every file of `other` under the folder `prefix`.
    pub fn nest(&mut self, prefix: &str, other: OutputFiles) {
        for (name, bytes) in other.files {
            self.files.insert(format!("{prefix}/{name}"), bytes);
        }
    }
    /// Names of the files, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.files.keys().map(String::as_str).collect()
    }
    /// Writes these files as the whole content of `folder` (see
    /// [`crate::render::outdir`]): built beside it and swapped in, so a failed or
    /// killed run leaves the previous folder as it was.
    pub fn commit(&self, folder: &crate::render::outdir::OutputFolder) -> Result<(), Error> {
        folder.commit(self)
    }
}

/// Makes text from input safe in a spreadsheet: a leading `=`, `+`, `-` or
/// `@` gets a `'` so that no spreadsheet runs it as a formula; so does text
/// that already starts with such a `'`, so `score` reads every text back.
pub fn neutralize(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@'])
        || text.strip_prefix('\'').is_some_and(|r| r.starts_with(['=', '+', '-', '@', '\'']))
    {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Serialises rows as CSV with a UTF-8 BOM.
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        // Writing to a Vec<u8> cannot fail.
        let _ = writer.write_record(header);
        for row in rows {
            let _ = writer.write_record(row);
        }
        let _ = writer.flush();
    }
    out
}

/// A number with full precision for CSV (shortest round-trip form).
pub fn full(value: f64) -> String {
    format!("{value}")
}

fn opt(value: Option<f64>) -> String {
    value.map(full).unwrap_or_default()
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// The schools.csv table: one row a school section; `after` present for plans.
pub fn schools_table(
    county: &County,
    before: &CountyFigures,
    after: Option<&CountyFigures>,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut header = vec!["school_id", "name", "section", "students", "counted", "teachers_before"];
    if after.is_some() {
        header.push("teachers_after");
    }
    const KEYS: [(&str, &str, &str, &str); 3] = [
        ("higher_degree_before", "higher_degree_after", "higher_degree_per100_before", "higher_degree_per100_after"),
        ("backbone_before", "backbone_after", "backbone_per100_before", "backbone_per100_after"),
        ("pe_arts_before", "pe_arts_after", "pe_arts_per100_before", "pe_arts_per100_after"),
    ];
    for k in KEYS {
        header.push(k.0);
        if after.is_some() {
            header.push(k.1);
        }
        header.push(k.2);
        if after.is_some() {
            header.push(k.3);
        }
    }
    header.push("compliant_before");
    if after.is_some() {
        header.push("compliant_after");
    }
    header.push("shortfall_before");
    if after.is_some() {
        header.push("shortfall_after");
    }
    let mut rows = Vec::new();
    for (i, b) in before.sections.iter().enumerate() {
        let a = after.map(|f| &f.sections[i]);
        let school = &county.schools[b.school];
        let mut row = vec![
            neutralize(&school.id),
            neutralize(&school.name),
            b.level.word().to_string(),
            b.students.to_string(),
            yes_no(b.counted).to_string(),
            b.counts.teachers.to_string(),
        ];
        if let Some(a) = a {
            row.push(a.counts.teachers.to_string());
        }
        for k in 0..3 {
            row.push(b.counts.indicator[k].to_string());
            if let Some(a) = a {
                row.push(a.counts.indicator[k].to_string());
            }
            row.push(opt(b.values[k]));
            if let Some(a) = a {
                row.push(opt(a.values[k]));
            }
        }
        row.push(compliant_cell(b));
        if let Some(a) = a {
            row.push(compliant_cell(a));
        }
        row.push(shortfall_cell(b));
        if let Some(a) = a {
            row.push(shortfall_cell(a));
        }
        rows.push(row);
    }
    (header, rows)
}

fn compliant_cell(s: &SectionFigures) -> String {
    if !s.counted {
        return String::new();
    }
    s.compliant.map(|c| yes_no(c).to_string()).unwrap_or_default()
}

fn shortfall_cell(s: &SectionFigures) -> String {
    if s.counted {
        s.shortfall.to_string()
    } else {
        String::new()
    }
}

/// The `cv` object of summary.json.
pub fn cv_json(before: &CountyFigures, after: Option<&CountyFigures>) -> Value {
    let mut levels = Map::new();
    for level in Level::BOTH {
        let mut inds = Map::new();
        for ind in Indicator::ALL {
            let b = &before.cv[&(level, ind)];
            let mut entry = Map::new();
            entry.insert("before".into(), json!(b.value));
            if let Some(a) = after {
                entry.insert("after".into(), json!(a.cv[&(level, ind)].value));
            }
            entry.insert("limit".into(), json!(b.limit));
            inds.insert(ind.key().into(), Value::Object(entry));
        }
        levels.insert(level.word().into(), Value::Object(inds));
    }
    Value::Object(levels)
}

/// Pretty JSON bytes with a trailing newline.
pub fn json_bytes(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The rotations.csv table (SPEC §5), rows sorted by from_school then teacher_id.
pub fn rotations_table(
    county: &County,
    plan: &crate::plan::Plan,
    lang: crate::render::Lang,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "teacher_id",
        "name",
        "section",
        "subject",
        "from_school",
        "to_school",
        "distance_km",
        "backbone",
        "higher_degree",
        "pe_arts",
        "years_at_school",
        "return_year",
        "reason",
    ];
    let policy = &county.policy;
    let rows = plan
        .moves
        .iter()
        .map(|m| {
            let t = &county.teachers[m.teacher];
            vec![
                neutralize(&t.id),
                neutralize(&t.name),
                t.level.word().to_string(),
                t.subject.word().to_string(),
                neutralize(&county.schools[m.from].id),
                neutralize(&county.schools[m.to].id),
                m.km.map(full).unwrap_or_default(),
                t.backbone.word().to_string(),
                yes_no(t.degree.is_higher_for(t.level)).to_string(),
                yes_no(t.subject.is_pe_arts()).to_string(),
                (policy.year - t.school_since).to_string(),
                (policy.year + policy.rotation.years).to_string(),
                neutralize(&crate::render::reasons::move_reason(county, plan, m, lang)),
            ]
        })
        .collect();
    (header, rows)
}

/// The hires.csv table (SPEC §7).
pub fn hires_table(
    county: &County,
    plan: &crate::plan::Plan,
    lang: crate::render::Lang,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec!["hire_id", "section", "subject", "degree", "backbone", "to_school", "reason"];
    let rows = plan
        .hires
        .iter()
        .map(|h| {
            let g = &plan.hire_groups[h.group];
            vec![
                h.id.clone(),
                g.level.word().to_string(),
                g.subject.word().to_string(),
                g.degree.word().to_string(),
                g.backbone.word().to_string(),
                neutralize(&county.schools[h.to].id),
                neutralize(&crate::render::reasons::hire_reason(county, plan, h, lang)),
            ]
        })
        .collect();
    (header, rows)
}

/// summary.json of a plan.
pub fn plan_summary(county: &County, plan: &crate::plan::Plan) -> Value {
    let stages: Vec<Value> = plan
        .stages
        .iter()
        .map(|s| {
            json!({
                "stage": s.stage.id(),
                "status": s.status.map_or("not_run", |st| st.word()),
                // A stage that did not run has no objective and no gap.
                "objective": s.status.map(|_| s.objective),
                "gap": s.status.map(|_| s.gap),
                "seconds": s.seconds,
            })
        })
        .collect();
    let mut summary = json!({
        "eligible": plan.eligible,
        "required_moves": plan.required_moves,
        "moves": plan.moves.len(),
        "backbone_moves": plan.backbone_moves(county),
        "backbone_share": plan.backbone_share(county),
        "compliant_sections": {
            "before": plan.before.compliant(),
            "after": plan.after.compliant(),
            "counted": plan.after.counted(),
        },
        "shortfall": { "before": plan.before.shortfall(), "after": plan.after.shortfall() },
        "cv": cv_json(&plan.before, Some(&plan.after)),
        "distance_km": plan.distance_km(),
        "solver": {
            "backend": crate::solve::backend_name(),
            "status": if plan.proven_optimal() { "optimal" } else { "time_limit" },
            "optimal": plan.proven_optimal(),
            "gap": plan.gap(),
            "seconds": plan.seconds,
            "stages": stages,
        },
    });
    if !plan.hire_groups.is_empty() {
        summary["hires"] = json!(plan.hires.len());
    }
    summary
}

/// Every file `plan` writes.
pub fn plan_files(county: &County, plan: &crate::plan::Plan, lang: crate::render::Lang) -> Result<OutputFiles, Error> {
    let mut files = OutputFiles::new();
    let (h, r) = rotations_table(county, plan, lang);
    files.add("rotations.csv", csv_bytes(&h, &r));
    let (h, r) = schools_table(county, &plan.before, Some(&plan.after));
    files.add("schools.csv", csv_bytes(&h, &r));
    if !plan.hire_groups.is_empty() {
        let (h, r) = hires_table(county, plan, lang);
        files.add("hires.csv", csv_bytes(&h, &r));
    }
    files.add("summary.json", json_bytes(&plan_summary(county, plan)));
    files.add("plan.xlsx", crate::render::xlsx::plan_workbook(county, plan, lang)?);
    files.add("report.html", crate::render::html::plan_report(county, plan, lang).into_bytes());
    Ok(files)
}
