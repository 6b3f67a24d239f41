//! plan.xlsx for people who live in Excel: the rotation list, the school
//! table and the summary in the run's language — headers, sheet names and
//! cell values (初中, 美术, 市级, 是 in the Chinese workbook), schools by code
//! and name — with a frozen header row, filters, CJK-aware column widths and
//! numbers stored as numbers with a number format.
//! Text from input is always written as a text cell, so nothing runs as a formula.
//! A text longer than a cell may hold is cut to fit, ending in "…" (see
//! [`fit_cell`]), so writing never fails on length.

use std::borrow::Cow;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::domain::County;
use crate::error::Error;
use crate::plan::Plan;
use crate::render::output::{Cell, NumberFormat, Table};
pub use crate::render::terminal::display_width;
use crate::render::words::word;
use crate::render::Lang;

/// Chinese headers of the workbook's columns, by column key (the English header).
pub const HEADERS_ZH: &[(&str, &str)] = &[
    ("teacher_id", "教师编号"),
    ("name", "姓名"),
    ("section", "学段"),
    ("subject", "任教学科"),
    ("from_school", "调出学校代码"),
    ("from_school_name", "调出学校名称"),
    ("to_school", "调入学校代码"),
    ("to_school_name", "调入学校名称"),
    ("distance_km", "距离(公里)"),
    ("backbone", "骨干级别"),
    ("higher_degree", "高于规定学历"),
    ("pe_arts", "体艺教师"),
    ("years_at_school", "在校年限"),
    ("return_year", "返回年份"),
    ("reason", "理由"),
    ("at_school", "学校代码"),
    ("at_school_name", "学校名称"),
    ("lever", "措施"),
    ("degree", "学历"),
    ("count", "人数"),
    ("teachers", "教师"),
    ("cost", "费用(千元)"),
    ("kind", "类别"),
    ("role", "职务"),
    ("school_id", "学校代码"),
    ("school_name", "学校名称"),
    ("students", "学生数"),
    ("counted", "纳入统计"),
    ("teachers_before", "教师数(前)"),
    ("teachers_after", "教师数(后)"),
    ("higher_degree_before", "高学历(前)"),
    ("higher_degree_after", "高学历(后)"),
    ("higher_degree_per100_before", "每百生高学历(前)"),
    ("higher_degree_per100_after", "每百生高学历(后)"),
    ("backbone_before", "骨干(前)"),
    ("backbone_after", "骨干(后)"),
    ("backbone_per100_before", "每百生骨干(前)"),
    ("backbone_per100_after", "每百生骨干(后)"),
    ("pe_arts_before", "体艺(前)"),
    ("pe_arts_after", "体艺(后)"),
    ("pe_arts_per100_before", "每百生体艺(前)"),
    ("pe_arts_per100_after", "每百生体艺(后)"),
    ("compliant_before", "达标(前)"),
    ("compliant_after", "达标(后)"),
    ("shortfall_before", "缺口(前)"),
    ("shortfall_after", "缺口(后)"),
    ("current_school", "所在学校代码"),
    ("current_school_name", "所在学校名称"),
    ("volunteer", "是否自愿"),
    ("points", "积分"),
    ("wish_1", "志愿1"),
    ("wish_2", "志愿2"),
    ("wish_3", "志愿3"),
    ("wish_4", "志愿4"),
    ("wish_5", "志愿5"),
    ("wish_granted", "满足志愿"),
    ("why_stays", "未交流原因"),
    ("need", "需配备"),
    ("subject_teachers", "学科专任教师"),
    ("subject_teachers_before", "学科专任教师(前)"),
    ("subject_teachers_after", "学科专任教师(后)"),
    ("missing", "缺员"),
    ("missing_before", "缺员(前)"),
    ("missing_after", "缺员(后)"),
    ("proposed", "建议编制"),
    ("change", "增减"),
    ("reason_id", "理由代码"),
    ("hire_id", "新聘编号"),
];

/// The header shown for a column key (English: the key itself, as in the
/// CSV files; the school table's name column is `name` there too).
pub fn header(key: &str, lang: Lang) -> &str {
    match lang {
        Lang::En if key == "school_name" => "name",
        Lang::En => key,
        Lang::Zh => HEADERS_ZH
            .iter()
            .chain(crate::render::direction::HEADERS_ZH)
            .chain(crate::render::norms::HEADERS_ZH)
            .chain(crate::render::structure::HEADERS_ZH)
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, zh)| zh),
    }
}

/// The most a cell of Excel holds: 32,767 UTF-16 code units (an emoji or a
/// character beyond the Basic Multilingual Plane counts as two).
pub const CELL_LIMIT: usize = 32_767;

/// `text` cut to fit one Excel cell: unchanged when it fits, otherwise its
/// longest beginning (whole characters) followed by "…", within
/// [`CELL_LIMIT`]. Every input cell fits already; a written cell can be
/// longer, since a reason names several schools.
pub fn fit_cell(text: &str) -> Cow<'_, str> {
    if text.len() <= CELL_LIMIT || text.encode_utf16().count() <= CELL_LIMIT {
        return Cow::Borrowed(text);
    }
    let mut units = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > CELL_LIMIT - 1
        })
        .map_or(text.len(), |(i, _)| i);
    Cow::Owned(format!("{}…", &text[..end]))
}

/// The key of the name column written beside a school column.
fn name_key(key: &str) -> Option<&'static str> {
    match key {
        "from_school" => Some("from_school_name"),
        "to_school" => Some("to_school_name"),
        "current_school" => Some("current_school_name"),
        "at_school" => Some("at_school_name"),
        _ => None,
    }
}

/// The sheet's column keys: a school column is followed by its name column;
/// the school table's `name` is the school's name.
fn sheet_keys(table: &Table) -> Vec<&'static str> {
    let mut keys = Vec::new();
    for &key in &table.keys {
        keys.push(if key == "name" && table.keys.contains(&"school_id") { "school_name" } else { key });
        keys.extend(name_key(key));
    }
    keys
}

/// Writes one cell (a school cell fills two columns); returns its display width.
fn write_cell(sheet: &mut Worksheet, at: (u32, u16), cell: &Cell, lang: Lang) -> Result<usize, XlsxError> {
    let (r, c) = at;
    match cell {
        Cell::Text(text) => {
            let text = fit_cell(text);
            sheet.write_string(r, c, text.as_ref())?;
            Ok(display_width(&text))
        }
        Cell::Word(phrase) => {
            sheet.write_string(r, c, phrase.get(lang))?;
            Ok(display_width(phrase.get(lang)))
        }
        Cell::School { id, name } => {
            sheet.write_string(r, c, fit_cell(id).as_ref())?;
            sheet.write_string(r, c + 1, fit_cell(name).as_ref())?;
            Ok(display_width(id))
        }
        Cell::Count(n) => {
            sheet.write_number(r, c, *n as f64)?;
            Ok(n.to_string().len())
        }
        Cell::Number(v, format) => {
            sheet.write_number_with_format(r, c, *v, &Format::new().set_num_format(format.code()))?;
            Ok(10)
        }
        Cell::Empty => Ok(0),
    }
}

fn write_table(sheet: &mut Worksheet, table: &Table, lang: Lang) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let keys = sheet_keys(table);
    let mut widths: Vec<usize> = keys.iter().map(|k| display_width(header(k, lang))).collect();
    for (c, key) in keys.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, header(key, lang), &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let mut col = 0;
        for (cell, key) in row.iter().zip(&table.keys) {
            let width = write_cell(sheet, (r as u32 + 1, col as u16), cell, lang)?;
            widths[col] = widths[col].max(width);
            if let Cell::School { name, .. } = cell {
                col += 1;
                widths[col] = widths[col].max(display_width(name));
            } else if name_key(key).is_some() {
                // An empty school cell keeps its name column empty.
                col += 1;
            }
            col += 1;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(80.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !keys.is_empty() {
        sheet.autofilter(0, 0, table.rows.len() as u32, keys.len() as u16 - 1)?;
    }
    Ok(())
}

/// The summary sheet's rows: a name, a value and how to show it.
fn summary_rows(county: &County, plan: &Plan, lang: Lang) -> Vec<(String, f64, NumberFormat)> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let count = |n: usize| (n as f64, NumberFormat::Count);
    let rows = [
        (t("符合交流条件人数", "eligible"), count(plan.eligible)),
        (t("应交流人数", "required moves"), count(plan.required_moves as usize)),
        (t("交流人数（计入交流比例）", "moves (in the shares)"), count(plan.teacher_moves(county))),
        (t("骨干交流人数", "backbone moves"), count(plan.backbone_moves(county))),
        (t("骨干占比", "backbone share"), (plan.backbone_share(county), NumberFormat::Share)),
        (t("达标学段(前)", "compliant sections before"), count(plan.before.compliant())),
        (t("达标学段(后)", "compliant sections after"), count(plan.after.compliant())),
        (t("纳入统计学段", "counted sections"), count(plan.after.counted())),
        (t("缺口(前)", "shortfall before"), count(plan.before.shortfall() as usize)),
        (t("缺口(后)", "shortfall after"), count(plan.after.shortfall() as usize)),
        (t("总距离(公里)", "distance km"), (plan.distance_km(), NumberFormat::Km)),
    ];
    let mut rows: Vec<(String, f64, NumberFormat)> = rows.into_iter().map(|(name, (v, f))| (name, v, f)).collect();
    if !plan.returns.is_empty() {
        // After the moves, as in summary.json: only with returns due.
        let at = 3;
        rows.insert(at, (t("交流期满返回人数", "returns"), plan.returns_done() as f64, NumberFormat::Count));
        rows.insert(at + 1, (t("续任一年人数", "extended"), plan.returns_extended() as f64, NumberFormat::Count));
    }
    for ((level, ind), c) in &plan.after.cv {
        if let Some(v) = c.value {
            let name = match lang {
                Lang::Zh => format!("差异系数 {} {}（后）", word(*level, lang), word(*ind, lang)),
                Lang::En => format!("CV {} {} (after)", word(*level, lang), word(*ind, lang)),
            };
            rows.push((name, v, NumberFormat::Cv));
        }
    }
    rows.extend(
        [
            (t("符合条件的校长、副校长", "eligible principals"), count(plan.principals.eligible)),
            (t("应交流校长、副校长", "required principal moves"), count(plan.principals.required as usize)),
            (t("交流校长、副校长", "principal moves"), count(plan.principal_moves(county))),
        ]
        .map(|(name, (v, f))| (name, v, f)),
    );
    rows
}

fn write_summary(sheet: &mut Worksheet, county: &County, plan: &Plan, lang: Lang) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, lang.pick("项目", "item"), &bold)?;
    sheet.write_string_with_format(0, 1, lang.pick("数值", "value"), &bold)?;
    let mut width = 10;
    for (r, (name, value, format)) in summary_rows(county, plan, lang).iter().enumerate() {
        sheet.write_string(r as u32 + 1, 0, fit_cell(name).as_ref())?;
        sheet.write_number_with_format(r as u32 + 1, 1, *value, &Format::new().set_num_format(format.code()))?;
        width = width.max(display_width(name));
    }
    sheet.set_column_width(0, width as f64 + 2.0)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The applications sheet: one row per applicant (frozen header, filters)
/// and, right of it, the summary's counts.
fn write_applications(
    sheet: &mut Worksheet,
    county: &County,
    a: &crate::explain::ApplicationsSummary,
    lang: Lang,
) -> Result<(), XlsxError> {
    use crate::render::applications::{applicants_table, summary_rows};
    let table = applicants_table(county, a, lang);
    write_table(sheet, &table, lang)?;
    let col = sheet_keys(&table).len() as u16 + 1;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, col, lang.pick("项目", "item"), &bold)?;
    sheet.write_string_with_format(0, col + 1, lang.pick("数值", "value"), &bold)?;
    let mut width = 10;
    for (r, (name, value)) in summary_rows(a, lang).iter().enumerate() {
        sheet.write_string(r as u32 + 1, col, name.as_str())?;
        sheet.write_number(r as u32 + 1, col + 1, *value as f64)?;
        width = width.max(display_width(name));
    }
    sheet.set_column_width(col, width as f64 + 2.0)?;
    Ok(())
}

/// The plan workbook as bytes, from the same tables as rotations.csv and
/// schools.csv. A failure here is one of writing the file, not of the solver.
pub fn plan_workbook(
    county: &County,
    plan: &Plan,
    rotations: &Table,
    schools: &Table,
    lang: Lang,
) -> Result<Vec<u8>, Error> {
    plan_workbook_with(county, plan, rotations, schools, &[], lang)
}

/// [`plan_workbook`] with more sheets after the plan's own: (sheet name
/// in Chinese and English, its table).
pub fn plan_workbook_with(
    county: &County,
    plan: &Plan,
    rotations: &Table,
    schools: &Table,
    extra: &[(crate::render::words::Phrase, &Table)],
    lang: Lang,
) -> Result<Vec<u8>, Error> {
    build(county, plan, rotations, schools, extra, lang).map_err(|e| match e {
        XlsxError::IoError(source) => Error::io("writing plan.xlsx", source),
        other => Error::io("writing plan.xlsx", std::io::Error::other(other)),
    })
}

fn build(
    county: &County,
    plan: &Plan,
    rotations: &Table,
    schools: &Table,
    extra: &[(crate::render::words::Phrase, &Table)],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // The document's date is the plan's school year (1 September), not the
    // clock: the same input gives the same workbook, byte for byte.
    let year = county.policy.year.clamp(1900, 9999) as u16;
    book.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(year, 9, 1)?));
    let sheet = book.add_worksheet().set_name(lang.pick("交流名单", "rotations"))?;
    write_table(sheet, rotations, lang)?;
    let sheet = book.add_worksheet().set_name(lang.pick("学校", "schools"))?;
    write_table(sheet, schools, lang)?;
    let sheet = book.add_worksheet().set_name(lang.pick("汇总", "summary"))?;
    write_summary(sheet, county, plan, lang)?;
    if let Some(a) = crate::explain::applications_summary(county, plan) {
        let sheet = book.add_worksheet().set_name(lang.pick("交流申请", "applications"))?;
        write_applications(sheet, county, &a, lang)?;
    }
    let [before, after] = plan.structure(county);
    let sheet = book.add_worksheet().set_name(lang.pick("职称年龄结构", "title and age"))?;
    write_table(sheet, &crate::render::structure::structure_table(county, &before, Some(&after)), lang)?;
    let sheet = book.add_worksheet().set_name(lang.pick("学科缺口", "subject_gaps"))?;
    let gaps = crate::render::curriculum::gaps_change_table(county, &plan.gaps_before, &plan.gaps_after);
    write_table(sheet, &gaps, lang)?;
    let sheet = book.add_worksheet().set_name(lang.pick("交流流向", "direction"))?;
    write_table(sheet, &crate::render::direction::direction_table(&plan.direction(county)), lang)?;
    let alliances = plan.alliances(county);
    if !alliances.is_empty() {
        let sheet = book.add_worksheet().set_name(lang.pick("联盟", "alliances"))?;
        write_table(sheet, &crate::render::direction::alliances_table(&alliances, true), lang)?;
    }
    let (norms_before, norms_after) = crate::render::norms::norms_of(county, Some(plan));
    let sheet = book.add_worksheet().set_name(lang.pick("编制与办学条件", "norms"))?;
    write_table(sheet, &crate::render::norms::norms_table(county, &norms_before, norms_after.as_ref()), lang)?;
    if let Some(table) = crate::render::norms::class_table(county, &norms_before) {
        let sheet = book.add_worksheet().set_name(lang.pick("班额", "class sizes"))?;
        write_table(sheet, &table, lang)?;
    }
    for (name, table) in extra {
        let sheet = book.add_worksheet().set_name(name.get(lang))?;
        write_table(sheet, table, lang)?;
    }
    book.save_to_buffer()
}

/// A workbook of plain tables, one sheet each (sheet name, table).
pub fn tables_workbook(sheets: &[(&str, &Table)], lang: Lang, what: &str) -> Result<Vec<u8>, Error> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        book.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?));
        for (name, table) in sheets {
            let sheet = book.add_worksheet().set_name(*name)?;
            write_table(sheet, table, lang)?;
        }
        book.save_to_buffer()
    };
    build().map_err(|e| Error::io(format!("writing {what}"), std::io::Error::other(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_to_excel_limit() {
        assert_eq!(fit_cell("短文本"), "短文本");
        let fits = "a".repeat(CELL_LIMIT);
        assert_eq!(fit_cell(&fits), fits.as_str());
        let cut = fit_cell(&"学".repeat(CELL_LIMIT + 1)).into_owned();
        assert_eq!(cut.encode_utf16().count(), CELL_LIMIT);
        assert!(cut.ends_with('…'));
        // An emoji is two units: 16,384 of them are 32,768 units.
        let cut = fit_cell(&"😀".repeat(16_384)).into_owned();
        assert!(cut.encode_utf16().count() <= CELL_LIMIT && cut.ends_with("😀…"), "{}", cut.len());
    }
}
