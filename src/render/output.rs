//! Writing plan folders: CSV files with a UTF-8 BOM for Chinese Excel,
//! summary.json, all held in memory and committed as one whole folder
//! (see [`crate::render::outdir`]), so a failed run never leaves half-written output.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::domain::{County, Level, TeacherIndicator};
use crate::error::Error;
use crate::explain::{explain_plan, Explanations};
use crate::plan::Plan;
use crate::render::html::ComparisonRow;
use crate::render::reasons::{hire_words, move_words, return_words};
use crate::render::words::{ListKind, Phrase, Worded};
use crate::render::Lang;
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

/// How the workbook shows a number (CSV always gives it in full).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberFormat {
    /// A whole number: a count, a year.
    Count,
    /// Teachers per 100 students, to two decimals.
    Per100,
    /// Kilometres, to one decimal.
    Km,
    /// A difference coefficient, to four decimals.
    Cv,
    /// A share, as a percentage to one decimal.
    Share,
}

impl NumberFormat {
    /// Excel's number format code.
    pub fn code(self) -> &'static str {
        match self {
            NumberFormat::Count => "0",
            NumberFormat::Per100 => "0.00",
            NumberFormat::Km => "0.0",
            NumberFormat::Cv => "0.0000",
            NumberFormat::Share => "0.0%",
        }
    }
}

/// One cell of an output table, typed, so that CSV and the workbook each
/// show it their way.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text from input (an id, a name) or written text (a reason); guarded
    /// against formulas in CSV (see [`neutralize`]), kept as it is in the workbook.
    Text(String),
    /// A word of the phrase book: English in CSV, the run's language in the workbook.
    Word(Phrase),
    /// A school: its id in CSV; its id and its name in the workbook.
    School {
        /// 学校代码.
        id: String,
        /// 学校名称.
        name: String,
    },
    /// A whole number.
    Count(i64),
    /// A measured number.
    Number(f64, NumberFormat),
    /// Nothing to show.
    Empty,
}

impl Cell {
    /// A word of the phrase book.
    pub fn word<W: Worded>(value: W) -> Cell {
        Cell::Word(value.phrase())
    }

    fn school(school: &crate::domain::School) -> Cell {
        Cell::School { id: school.id.clone(), name: school.name.clone() }
    }

    pub(crate) fn number(value: Option<f64>, format: NumberFormat) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Number(v, format))
    }

    /// The cell as CSV writes it.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(text) | Cell::School { id: text, .. } => neutralize(text),
            Cell::Word(phrase) => phrase.en.to_string(),
            Cell::Count(n) => n.to_string(),
            Cell::Number(v, _) => full(*v),
            Cell::Empty => String::new(),
        }
    }
}

/// An output table: column keys (the CSV header) and typed rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column keys, the English header.
    pub keys: Vec<&'static str>,
    /// Rows, one cell per key.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as CSV with a UTF-8 BOM.
    pub fn csv(&self) -> Vec<u8> {
        let rows: Vec<Vec<String>> = self.rows.iter().map(|row| row.iter().map(Cell::csv).collect()).collect();
        csv_bytes(&self.keys, &rows)
    }
}

/// The indicator columns of schools.csv: each count before and after, then
/// each value per 100 students before and after.
const INDICATOR_KEYS: [&str; 12] = [
    "higher_degree_before",
    "higher_degree_after",
    "higher_degree_per100_before",
    "higher_degree_per100_after",
    "backbone_before",
    "backbone_after",
    "backbone_per100_before",
    "backbone_per100_after",
    "pe_arts_before",
    "pe_arts_after",
    "pe_arts_per100_before",
    "pe_arts_per100_after",
];

/// The schools.csv table: one row a school section; `after` present for plans.
pub fn schools_table(county: &County, before: &CountyFigures, after: Option<&CountyFigures>) -> Table {
    let mut keys = vec!["school_id", "name", "section", "students", "counted", "teachers_before", "teachers_after"];
    keys.extend(INDICATOR_KEYS);
    keys.extend(["compliant_before", "compliant_after", "shortfall_before", "shortfall_after"]);
    if after.is_none() {
        keys.retain(|k| !k.ends_with("_after"));
    }
    let rows = before
        .sections
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let a = after.map(|f| &f.sections[i]);
            let school = &county.schools[b.school];
            let mut row = vec![
                Cell::Text(school.id.clone()),
                Cell::Text(school.name.clone()),
                Cell::word(b.level),
                Cell::Count(b.students.into()),
                Cell::word(b.counted),
            ];
            // Each figure before, then after where the table has it.
            let mut both = |cell: &dyn Fn(&SectionFigures) -> Cell| {
                row.push(cell(b));
                row.extend(a.map(cell));
            };
            both(&|s| Cell::Count(s.counts.teachers.into()));
            for k in 0..3 {
                both(&|s| Cell::Count(s.counts.indicator[k].into()));
                both(&|s| Cell::number(s.values[k], NumberFormat::Per100));
            }
            both(&compliant_cell);
            both(&shortfall_cell);
            row
        })
        .collect();
    Table { keys, rows }
}

fn compliant_cell(s: &SectionFigures) -> Cell {
    match s.compliant {
        Some(c) if s.counted => Cell::word(c),
        _ => Cell::Empty,
    }
}

fn shortfall_cell(s: &SectionFigures) -> Cell {
    if s.counted {
        Cell::Count(s.shortfall.into())
    } else {
        Cell::Empty
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

/// The rotations.csv table (SPEC §5): the moves and the due returns
/// (kind `rotation`, `return`, `extend` in the last column), by from_school,
/// then teacher_id; each reason worded from `explanations`.
pub fn rotations_table(county: &County, plan: &Plan, explanations: &Explanations, lang: Lang) -> Table {
    let keys = vec![
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
        "kind",
        "role",
    ];
    let policy = &county.policy;
    let mut rows: Vec<((&str, &str), Vec<Cell>)> = Vec::new();
    for (m, x) in plan.moves.iter().zip(&explanations.moves) {
        let return_year = policy.year + policy.rotation.years;
        let row = list_row(county, (m.teacher, m.from, m.to), m.km, return_year, move_words(county, x, lang));
        let role = county.teachers[m.teacher].role;
        rows.push((sort_key(county, m.teacher, m.from), with_kind(row, ListKind::Rotation, role)));
    }
    let distances = (!plan.returns.is_empty()).then(|| crate::rules::distance::Distances::new(county));
    for (r, x) in plan.returns.iter().zip(&explanations.returns) {
        let km = distances.as_ref().and_then(|d| d.km(r.host, r.home)).filter(|_| !r.extended);
        let reason = return_words(county, x, lang);
        let row = list_row(county, (r.teacher, r.host, r.to()), km, r.new_end(policy.year), reason);
        let kind = if r.extended { ListKind::Extend } else { ListKind::Return };
        rows.push((sort_key(county, r.teacher, r.host), with_kind(row, kind, county.teachers[r.teacher].role)));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Table { keys, rows: rows.into_iter().map(|(_, row)| row).collect() }
}

fn sort_key(county: &County, teacher: usize, from: usize) -> (&str, &str) {
    (county.schools[from].id.as_str(), county.teachers[teacher].id.as_str())
}

/// The row's kind, then the teacher's role (职务) last.
fn with_kind(mut row: Vec<Cell>, kind: ListKind, role: crate::domain::Role) -> Vec<Cell> {
    row.push(Cell::word(kind));
    row.push(Cell::word(role));
    row
}

/// One row of the rotation list without its kind: the teacher (teacher,
/// from, to positions), the distance, the return year and the reason.
fn list_row(
    county: &County,
    who: (usize, usize, usize),
    km: Option<f64>,
    return_year: i32,
    reason: String,
) -> Vec<Cell> {
    let (teacher, from, to) = who;
    let t = &county.teachers[teacher];
    vec![
        Cell::Text(t.id.clone()),
        Cell::Text(t.name.clone()),
        Cell::word(t.level),
        Cell::word(t.subject),
        Cell::school(&county.schools[from]),
        Cell::school(&county.schools[to]),
        Cell::number(km, NumberFormat::Km),
        Cell::word(t.backbone),
        Cell::word(t.degree.is_higher_for(t.level)),
        Cell::word(t.subject.is_pe_arts()),
        Cell::Count((county.policy.year - t.school_since).into()),
        Cell::Count(return_year.into()),
        Cell::Text(reason),
    ]
}

/// The hires.csv table (SPEC §7); each reason worded from `explanations`.
pub fn hires_table(county: &County, plan: &Plan, explanations: &Explanations, lang: Lang) -> Table {
    let keys = vec!["hire_id", "section", "subject", "degree", "backbone", "to_school", "reason"];
    let rows = plan
        .hires
        .iter()
        .zip(&explanations.hires)
        .map(|(h, x)| {
            let g = &plan.hire_groups[h.group];
            vec![
                Cell::Text(h.id.clone()),
                Cell::word(g.level),
                Cell::word(g.subject),
                Cell::word(g.degree),
                Cell::word(g.backbone),
                Cell::school(&county.schools[h.to]),
                Cell::Text(hire_words(county, x, lang)),
            ]
        })
        .collect();
    Table { keys, rows }
}

/// summary.json of a plan.
pub fn plan_summary(county: &County, plan: &Plan) -> Value {
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
        "teacher_moves": plan.teacher_moves(county),
        "backbone_moves": plan.backbone_moves(county),
        "backbone_share": plan.backbone_share(county),
        "compliant_sections": {
            "before": plan.before.compliant(),
            "after": plan.after.compliant(),
            "counted": plan.after.counted(),
        },
        "shortfall": { "before": plan.before.shortfall(), "after": plan.after.shortfall() },
        "cv": cv_json(&plan.before, Some(&plan.after)),
        "subject_gaps": crate::render::curriculum::gaps_json(&plan.gaps_before, Some(&plan.gaps_after)),
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
    summary["principals"] = json!({
        "eligible": plan.principals.eligible,
        "required_moves": plan.principals.required,
        "max_moves": plan.principals.most,
        "moves": plan.principal_moves(county),
        "count_in_teachers": county.policy.principals.count_in_teachers,
    });
    if !plan.hire_groups.is_empty() {
        summary["hires"] = json!(plan.hires.len());
    }
    let (norms_before, norms_after) = crate::render::norms::norms_of(county, Some(plan));
    summary["norms"] = crate::render::norms::norms_json(county, &norms_before, norms_after.as_ref());
    if !plan.returns.is_empty() {
        // Only with due returns, so a county without a register keeps its summary.
        summary["returns"] = json!(plan.returns_done());
        summary["extended"] = json!(plan.returns_extended());
    }
    let [before, after] = plan.structure(county);
    summary["structure"] = crate::render::structure::structure_json(county, &before, Some(&after));
    if let Some(a) = crate::explain::applications_summary(county, plan) {
        // Only with applications, so a county without them keeps its summary.
        summary["applications"] = applications_json(&a);
    }
    summary["direction"] = crate::render::direction::direction_json(county, &plan.direction(county));
    if let Some(alliances) = crate::render::direction::alliances_json(county, &plan.alliances(county)) {
        // Only with alliances, so a county without them keeps its summary.
        summary["alliances"] = alliances;
    }
    if plan.is_hand_made() {
        // A list a person edited: no solver made it, nothing is proven.
        summary["solver"] =
            json!({"status": "made_by_hand", "optimal": false, "gap": null, "seconds": 0.0, "stages": []});
    }
    summary
}

/// The `applications` object of summary.json.
pub fn applications_json(a: &crate::explain::ApplicationsSummary) -> Value {
    use crate::explain::applications::NoVolunteerReason;
    let why: Map<String, Value> =
        NoVolunteerReason::KINDS.iter().zip(a.why).map(|(k, n)| (k.to_string(), json!(n))).collect();
    json!({
        "applicants": a.applicants,
        "volunteers": a.volunteers,
        "volunteers_moved": a.volunteers_moved,
        "non_volunteers_moved": a.non_volunteers_moved,
        "non_volunteers_why": why,
        "granted_by_wish": a.granted,
        "with_wishes": a.with_wishes,
        "wishes_not_granted": a.not_granted,
        "moved_elsewhere": a.moved_elsewhere,
    })
}

/// Every file `plan` writes.
pub fn plan_files(county: &County, plan: &Plan, lang: Lang) -> Result<OutputFiles, Error> {
    let explanations = explain_plan(county, plan);
    let mut files = OutputFiles::new();
    let rotations = rotations_table(county, plan, &explanations, lang);
    files.add("rotations.csv", rotations.csv());
    let schools = schools_table(county, &plan.before, Some(&plan.after));
    files.add("schools.csv", schools.csv());
    let hires = (!plan.hire_groups.is_empty()).then(|| hires_table(county, plan, &explanations, lang));
    if let Some(hires) = &hires {
        files.add("hires.csv", hires.csv());
    }
    let (norms_before, norms_after) = crate::render::norms::norms_of(county, Some(plan));
    files.add("norms.csv", crate::render::norms::norms_table(county, &norms_before, norms_after.as_ref()).csv());
    if let Some(table) = crate::render::norms::class_table(county, &norms_before) {
        files.add("class_sizes.csv", table.csv());
    }
    files.add("summary.json", json_bytes(&plan_summary(county, plan)));
    let gaps = crate::render::curriculum::gaps_change_table(county, &plan.gaps_before, &plan.gaps_after);
    files.add("subject_gaps.csv", gaps.csv());
    // The hires have a sheet of their own beside the moves (新聘).
    let sheet = crate::render::words::Phrase { zh: "新聘", en: "hires" };
    let extra: Vec<(crate::render::words::Phrase, &Table)> = hires.iter().map(|t| (sheet, t)).collect();
    files.add("plan.xlsx", crate::render::xlsx::plan_workbook_with(county, plan, &rotations, &schools, &extra, lang)?);
    files.add("report.html", crate::render::html::plan_report(county, plan, lang).into_bytes());
    if !plan.moves.is_empty() {
        files.add("notices.html", crate::render::html::notices_html(county, plan, &explanations, lang).into_bytes());
    }
    Ok(files)
}

/// The files of `plan --horizon 2`: this year's plan files (report.html with
/// both years side by side) and next year's provisional rotations.csv,
/// schools.csv and summary.json under next-year/.
pub fn two_year_files(county: &County, two: &crate::plan::horizon::TwoYears, lang: Lang) -> Result<OutputFiles, Error> {
    let mut files = plan_files(county, &two.this, lang)?;
    files.add("report.html", crate::render::html::horizon::two_year_report(county, two, lang).into_bytes());
    let next = &two.next_county;
    let explanations = explain_plan(next, &two.next);
    let mut later = OutputFiles::new();
    later.add("rotations.csv", rotations_table(next, &two.next, &explanations, lang).csv());
    later.add("schools.csv", schools_table(next, &two.next.before, Some(&two.next.after)).csv());
    later.add("summary.json", json_bytes(&plan_summary(next, &two.next)));
    files.nest("next-year", later);
    Ok(files)
}

fn yes_no_word(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// comparison.csv (SPEC §7).
pub fn comparison_csv(rows: &[ComparisonRow]) -> Vec<u8> {
    let mut header: Vec<String> = [
        "scenario",
        "name",
        "feasible",
        "eligible",
        "moves",
        "backbone_moves",
        "backbone_share",
        "hires",
        "compliant_before",
        "compliant_after",
        "counted",
        "shortfall_before",
        "shortfall_after",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for level in Level::BOTH {
        for k in TeacherIndicator::ALL {
            header.push(format!("cv_{}_{}", level.word(), k.key()));
        }
    }
    header.push("distance_km".into());
    header.push("diagnosis".into());
    for name in ["upgrades", "designations", "upgraded_teachers", "designated_teachers", "proven", "cvs_over_limit"] {
        header.push(name.into());
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut v = vec![
                neutralize(&r.scenario),
                neutralize(&r.name),
                yes_no_word(r.feasible),
                r.eligible.to_string(),
                r.moves.to_string(),
                r.backbone_moves.to_string(),
                full(r.backbone_share),
                r.hires.to_string(),
                r.compliant_before.to_string(),
                r.compliant_after.to_string(),
                r.counted.to_string(),
                r.shortfall_before.to_string(),
                r.shortfall_after.to_string(),
            ];
            for level in Level::BOTH {
                for k in TeacherIndicator::ALL {
                    let cell = r
                        .cv_after
                        .iter()
                        .find(|(l, i, _)| *l == level && *i == k)
                        .and_then(|(_, _, v)| *v)
                        .map(full)
                        .unwrap_or_default();
                    v.push(cell);
                }
            }
            v.push(full(r.distance_km));
            v.push(neutralize(&r.diagnosis));
            v.push(r.upgraded.len().to_string());
            v.push(r.designated.len().to_string());
            v.push(neutralize(&r.upgraded.join(" ")));
            v.push(neutralize(&r.designated.join(" ")));
            v.push(yes_no_word(r.proven));
            let over: Vec<String> =
                r.cv_over.iter().map(|(level, ind, ..)| format!("{}_{}", level.word(), ind.key())).collect();
            v.push(over.join(" "));
            v
        })
        .collect();
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_bytes(&header_refs, &body)
}
