//! plan.xlsx for people who live in Excel: the rotation list, the school
//! table and the summary, with Chinese (or English) headers, a frozen header
//! row, filters, CJK-aware column widths and numbers stored as numbers.
//! Text from input is always written as a text cell, so nothing runs as a formula.
//! A text longer than a cell may hold is cut to fit, ending in "…" (see
//! [`fit_cell`]), so writing never fails on length.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::domain::County;
use crate::error::Error;
use crate::plan::Plan;
use crate::render::output::{rotations_table, schools_table};
use crate::render::Lang;

/// Header translations shared by the xlsx writer and the plan reader of `score`.
pub const HEADERS_ZH: &[(&str, &str)] = &[
    ("teacher_id", "教师编号"),
    ("name", "姓名"),
    ("section", "学段"),
    ("subject", "任教学科"),
    ("from_school", "调出学校"),
    ("to_school", "调入学校"),
    ("distance_km", "距离(公里)"),
    ("backbone", "骨干级别"),
    ("higher_degree", "高于规定学历"),
    ("pe_arts", "体艺教师"),
    ("years_at_school", "在校年限"),
    ("return_year", "返回年份"),
    ("reason", "理由"),
    ("school_id", "学校代码"),
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
];

/// The header shown for a column key.
pub fn header(key: &str, lang: Lang) -> &str {
    match lang {
        Lang::En => key,
        Lang::Zh => HEADERS_ZH.iter().find(|(k, _)| *k == key).map_or(key, |(_, zh)| zh),
    }
}

/// Display width of text in Excel character units: a CJK character counts as two.
pub fn display_width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum()
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

const NUMERIC: &[&str] = &[
    "distance_km",
    "years_at_school",
    "return_year",
    "students",
    "teachers_before",
    "teachers_after",
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
    "shortfall_before",
    "shortfall_after",
];

fn write_table(sheet: &mut Worksheet, keys: &[&str], rows: &[Vec<String>], lang: Lang) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let two = Format::new().set_num_format("0.00");
    let mut widths: Vec<usize> = keys.iter().map(|k| display_width(header(k, lang))).collect();
    for (c, key) in keys.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, header(key, lang), &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let key = keys[c];
            match cell.parse::<f64>().ok().filter(|_| NUMERIC.contains(&key)) {
                Some(n) if key.contains("per100") || key == "distance_km" => {
                    sheet.write_number_with_format(r, col, n, &two)?;
                    widths[c] = widths[c].max(8);
                }
                Some(n) => {
                    sheet.write_number(r, col, n)?;
                    widths[c] = widths[c].max(cell.len());
                }
                None => {
                    // CSV cells carry a leading ' against formula injection; a text
                    // cell in xlsx is inert already, so the original text is kept.
                    let text =
                        cell.strip_prefix('\'').filter(|t| t.starts_with(['=', '+', '-', '@', '\''])).unwrap_or(cell);
                    let text = fit_cell(text);
                    sheet.write_string(r, col, text.as_ref())?;
                    widths[c] = widths[c].max(display_width(&text));
                }
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(80.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !keys.is_empty() {
        sheet.autofilter(0, 0, rows.len() as u32, keys.len() as u16 - 1)?;
    }
    Ok(())
}

fn summary_rows(county: &County, plan: &Plan, lang: Lang) -> Vec<(String, f64)> {
    let zh = lang == Lang::Zh;
    let t = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
    let mut rows = vec![
        (t("符合交流条件人数", "eligible"), plan.eligible as f64),
        (t("应交流人数", "required moves"), plan.required_moves as f64),
        (t("交流人数", "moves"), plan.moves.len() as f64),
        (t("骨干交流人数", "backbone moves"), plan.backbone_moves(county) as f64),
        (t("骨干占比", "backbone share"), plan.backbone_share(county)),
        (t("达标学段(前)", "compliant sections before"), plan.before.compliant() as f64),
        (t("达标学段(后)", "compliant sections after"), plan.after.compliant() as f64),
        (t("纳入统计学段", "counted sections"), plan.after.counted() as f64),
        (t("缺口(前)", "shortfall before"), plan.before.shortfall() as f64),
        (t("缺口(后)", "shortfall after"), plan.after.shortfall() as f64),
        (t("总距离(公里)", "distance km"), plan.distance_km()),
    ];
    for ((level, ind), c) in &plan.after.cv {
        if let Some(v) = c.value {
            let name = format!("CV {} {} ({})", level.word(), ind.key(), t("后", "after"));
            rows.push((name, v));
        }
    }
    rows
}

/// The plan workbook as bytes. A failure here is one of writing the file,
/// not of the solver.
pub fn plan_workbook(county: &County, plan: &Plan, lang: Lang) -> Result<Vec<u8>, Error> {
    build(county, plan, lang).map_err(|e| match e {
        XlsxError::IoError(source) => Error::io("writing plan.xlsx", source),
        other => Error::io("writing plan.xlsx", std::io::Error::other(other)),
    })
}

fn build(county: &County, plan: &Plan, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let (keys, rows) = rotations_table(county, plan, lang);
    let sheet = book.add_worksheet().set_name(lang.pick("交流名单", "rotations"))?;
    write_table(sheet, &keys, &rows, lang)?;
    let (keys, rows) = schools_table(county, &plan.before, Some(&plan.after));
    let sheet = book.add_worksheet().set_name(lang.pick("学校", "schools"))?;
    write_table(sheet, &keys, &rows, lang)?;
    let sheet = book.add_worksheet().set_name(lang.pick("汇总", "summary"))?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, lang.pick("项目", "item"), &bold)?;
    sheet.write_string_with_format(0, 1, lang.pick("数值", "value"), &bold)?;
    let mut width = 10;
    for (r, (name, value)) in summary_rows(county, plan, lang).iter().enumerate() {
        sheet.write_string(r as u32 + 1, 0, fit_cell(name).as_ref())?;
        sheet.write_number(r as u32 + 1, 1, *value)?;
        width = width.max(display_width(name));
    }
    sheet.set_column_width(0, width as f64 + 2.0)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
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
