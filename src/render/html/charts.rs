//! The two inline SVG charts: the teacher indicators of every section
//! against their standards, and the difference coefficients against their
//! limits.

use std::fmt::Write as _;

use crate::domain::{Level, TeacherIndicator};
use crate::render::html::format::{fmt2, nice_axis, text_width, trim_number, truncate_to_width};
use crate::render::html::{escape, Report};
use crate::render::Lang;
use crate::rules::indicators::{Indicator, Standing};

/// Bar colours of the charts.
const GREY: &str = "#a0aec0";
const BLUE: &str = "#2b6cb0";
const ORANGE: &str = "#dd6b20";
const RED: &str = "#c53030";
/// A white outline under value labels, so they stay legible over grid and standard lines.
const HALO: &str = "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\"";

/// Width of both charts (their viewBox; the page scales them).
const WIDTH: f64 = 1100.0;
/// The teacher chart: room for the row labels, between two panels, and for a bar's value.
const TEACHER_LABEL: f64 = 210.0;
const PANEL_GAP: f64 = 26.0;
const TEACHER_VALUE_ROOM: f64 = 34.0;
/// The chart of difference coefficients: room for the row labels and for a bar's values.
const CV_LABEL: f64 = 230.0;
const CV_VALUE_ROOM: f64 = 90.0;

/// Vertical grid lines with their tick labels, from 0 to `axis_max`.
fn grid(svg: &mut String, scale: &dyn Fn(f64) -> f64, axis_max: f64, step: f64, top: f64, bottom: f64) {
    let mut tick = 0.0;
    while tick <= axis_max + step * 1e-6 {
        let x = scale(tick);
        w!(svg, "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top:.1}\" y2=\"{bottom:.1}\" stroke=\"#d8dee6\" stroke-width=\"1\"/>");
        w!(
            svg,
            "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#4a5568\">{}</text>\n",
            top - 6.0,
            trim_number(tick)
        );
        tick += step;
    }
}

impl Report<'_> {
    /// The charts section: the teacher chart and the chart of difference coefficients.
    pub(super) fn charts(&self) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"charts\">\n<h2>{}</h2>\n", self.t("图表", "Charts"));
        let caption = match (self.after.is_some(), self.lang) {
            (true, Lang::Zh) => "各学段三项教师指标（每百名学生），灰色为调整前，彩色为调整后（蓝：达标，橙：未达标，红：低于标准的85%），红色虚线为标准；右侧数字为调整后数值。",
            (true, Lang::En) => "The three teacher indicators per 100 students of each section: grey before, colour after (blue reaches the standard, orange below, red below 85 %); the dashed red line is the standard; the number is the value after.",
            (false, Lang::Zh) => "各学段三项教师指标（每百名学生），蓝：达标，橙：未达标，红：低于标准的85%；红色虚线为标准。",
            (false, Lang::En) => "The three teacher indicators per 100 students of each section: blue reaches the standard, orange below, red below 85 %; the dashed red line is the standard.",
        };
        w!(out, "<figure>\n{}<figcaption>{caption}</figcaption>\n</figure>\n", self.teacher_chart());
        let caption = match (self.after.is_some(), self.lang) {
            (true, Lang::Zh) => "差异系数：灰色为调整前，彩色为调整后（蓝：不超过限值，红：超过限值），红色虚线为限值。",
            (true, Lang::En) => "Difference coefficients: grey before, colour after (blue within the limit, red over it); the dashed red line is the limit.",
            (false, Lang::Zh) => "差异系数（蓝：不超过限值，红：超过限值），红色虚线为限值。",
            (false, Lang::En) => "Difference coefficients (blue within the limit, red over it); the dashed red line is the limit.",
        };
        w!(out, "<figure>\n{}<figcaption>{caption}</figcaption>\n</figure>\n</section>\n", self.cv_chart());
        out
    }

    /// The legend: a swatch per colour, then the dashed line of the standard or limit.
    fn legend(svg: &mut String, y: f64, items: &[(&str, &str)], line_label: &str) {
        let mut x = 0.0;
        for (colour, label) in items {
            w!(svg, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"{colour}\"/>", y - 9.0);
            w!(svg, "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"12\">{}</text>", x + 19.0, escape(label));
            x += 28.0 + text_width(label, 12.0);
        }
        w!(
            svg,
            "<line x1=\"{x:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{RED}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            x,
            y - 11.0,
            y + 1.0
        );
        w!(svg, "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"12\">{line_label}</text>\n", x + 6.0);
    }

    /// The teacher chart: one panel per teacher indicator, one row per
    /// section with students, its bar against the standard of its level.
    fn teacher_chart(&self) -> String {
        let rows = self.teacher_rows();
        let row_count: usize = rows.groups.iter().map(|(_, r)| r.len()).sum();
        let height = rows.at.top + rows.groups.len() as f64 * rows.at.group_h + row_count as f64 * rows.at.row_h + 24.0;
        let mut svg = String::new();
        w!(
            svg,
            "<svg class=\"chart teacher-chart\" viewBox=\"0 0 {WIDTH} {height:.0}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" font-family=\"inherit\">\n",
            self.t("各学段教师指标", "Teacher indicators by section")
        );
        let legend: Vec<(&str, &str)> = if self.after.is_some() {
            vec![
                (GREY, self.t("调整前", "before")),
                (BLUE, self.t("调整后 达标", "after: reaches")),
                (ORANGE, self.t("调整后 未达标", "after: below")),
                (RED, self.t("调整后 低于85%", "after: below 85 %")),
            ]
        } else {
            vec![
                (BLUE, self.t("达标", "reaches")),
                (ORANGE, self.t("未达标", "below")),
                (RED, self.t("低于标准的85%", "below 85 %")),
            ]
        };
        Self::legend(&mut svg, 14.0, &legend, self.t("标准", "standard"));
        svg.push_str(&rows.shading());
        svg.push('\n');
        self.teacher_row_labels(&mut svg, &rows);
        for (p, k) in TeacherIndicator::ALL.iter().enumerate() {
            self.teacher_panel(&mut svg, p, *k, &rows, height);
        }
        svg.push_str("</svg>\n");
        svg
    }

    /// The rows of the teacher chart: sections with students, primary first,
    /// then by school id.
    fn teacher_rows(&self) -> TeacherRows {
        let mut groups: Vec<(Level, Vec<usize>)> = Vec::new();
        for level in Level::BOTH {
            let rows: Vec<usize> = (0..self.before.sections.len())
                .filter(|&i| self.before.sections[i].level == level && self.before.sections[i].students > 0)
                .collect();
            if !rows.is_empty() {
                groups.push((level, rows));
            }
        }
        let row_h = if self.after.is_some() { 17.0 } else { 13.0 };
        TeacherRows { groups, at: Rows { top: 74.0, row_h, group_h: 22.0 } }
    }

    /// The level headers and the school name of each row (cut to fit, the
    /// whole name and id in a tooltip).
    fn teacher_row_labels(&self, svg: &mut String, rows: &TeacherRows) {
        let Rows { top, row_h, group_h } = rows.at;
        let mut y = top;
        for (level, group) in &rows.groups {
            w!(
                svg,
                "<text x=\"0\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>\n",
                y + 16.0,
                self.level_title(*level)
            );
            y += group_h;
            for &i in group {
                let s = &self.before.sections[i];
                let school = &self.county.schools[s.school];
                let mut label = school.name.clone();
                if !s.counted {
                    label.push_str(self.t("（不计）", " (not counted)"));
                }
                let shown = truncate_to_width(&label, 11.0, TEACHER_LABEL - 8.0);
                w!(
                    svg,
                    "<text x=\"4\" y=\"{:.1}\" font-size=\"11\"><title>{} {}</title>{}</text>\n",
                    y + row_h / 2.0 + 4.0,
                    escape(&school.name),
                    escape(&school.id),
                    escape(&shown)
                );
                y += row_h;
            }
        }
    }

    /// The panel of teacher indicator `k` (the `p`-th): its title, axis,
    /// bars and the standard of each level.
    fn teacher_panel(&self, svg: &mut String, p: usize, k: TeacherIndicator, rows: &TeacherRows, height: f64) {
        let ind = Indicator::Teacher(k);
        let panel = (WIDTH - TEACHER_LABEL - 2.0 * PANEL_GAP - 8.0) / 3.0;
        let x0 = TEACHER_LABEL + p as f64 * (panel + PANEL_GAP);
        let bar_room = panel - TEACHER_VALUE_ROOM;
        let mut max: f64 = 0.0;
        for (level, group) in &rows.groups {
            max = max.max(self.standard(ind, *level));
            for &i in group {
                let b = self.before.sections[i].values[k.index()].unwrap_or(0.0);
                let a = self.after.map_or(0.0, |f| f.sections[i].values[k.index()].unwrap_or(0.0));
                max = max.max(b).max(a);
            }
        }
        let (axis_max, step) = nice_axis(max);
        let scale = |v: f64| x0 + (v / axis_max).clamp(0.0, 1.0) * bar_room;
        w!(
            svg,
            "<text x=\"{x0:.1}\" y=\"44\" font-size=\"13\" font-weight=\"bold\">{}</text>\n",
            escape(self.indicator_short(ind))
        );
        grid(svg, &scale, axis_max, step, rows.at.top, height - 24.0);
        let mut y = rows.at.top;
        for (level, group) in &rows.groups {
            let standard = self.standard(ind, *level);
            let group_top = y;
            y += rows.at.group_h;
            for &i in group {
                self.teacher_bar(svg, k, i, y, x0, &scale);
                y += rows.at.row_h;
            }
            let sx = scale(standard);
            w!(
                svg,
                "<line x1=\"{sx:.1}\" x2=\"{sx:.1}\" y1=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{RED}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
                group_top + 18.0
            );
            w!(
                svg,
                "<text x=\"{sx:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"{RED}\" text-anchor=\"middle\">{} {}</text>\n",
                group_top + 14.0,
                self.t("标准", "standard"),
                trim_number(standard)
            );
        }
    }

    /// The bar(s) of section `i` for teacher indicator `k` in the row at `y`:
    /// grey before and coloured after for a plan, coloured alone otherwise,
    /// coloured by standing, with the value at its end.
    fn teacher_bar(
        &self,
        svg: &mut String,
        k: TeacherIndicator,
        i: usize,
        y: f64,
        x0: f64,
        scale: &dyn Fn(f64) -> f64,
    ) {
        let b = &self.before.sections[i];
        let a = self.after.map(|f| &f.sections[i]);
        let (main, main_y, main_h) = match a {
            Some(a) => {
                if let Some(v) = b.values[k.index()] {
                    w!(
                        svg,
                        "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\" fill=\"{GREY}\"/>",
                        y + 2.0,
                        scale(v) - x0
                    );
                }
                (a, y + 9.0, 6.0)
            }
            None => (b, y + 2.5, 8.0),
        };
        let Some(v) = main.values[k.index()] else { return };
        let colour = match main.standing[k.index()] {
            Some(Standing::Reaches) => BLUE,
            Some(Standing::Below) => ORANGE,
            _ => RED,
        };
        let school = &self.county.schools[b.school].name;
        let title = match a {
            Some(_) => {
                format!("{school} {}: {} → {}", self.level_word(b.level), fmt2(b.values[k.index()]), fmt2(Some(v)))
            }
            None => format!("{school} {}: {v:.2}", self.level_word(b.level)),
        };
        let end = scale(v);
        w!(
            svg,
            "<rect x=\"{x0:.1}\" y=\"{main_y:.1}\" width=\"{:.1}\" height=\"{main_h}\" fill=\"{colour}\"><title>{}</title></rect>",
            end - x0,
            escape(&title)
        );
        w!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9.5\" fill=\"#2d3748\" {HALO}>{v:.2}</text>\n",
            end + 3.0,
            main_y + main_h - 0.5
        );
    }

    /// The chart of difference coefficients: per level, one row per indicator,
    /// its bar against the level's limit.
    fn cv_chart(&self) -> String {
        let has_after = self.after.is_some();
        let rows = Rows { top: 48.0, row_h: if has_after { 20.0 } else { 16.0 }, group_h: 24.0 };
        let height = rows.top + 2.0 * rows.group_h + 14.0 * rows.row_h + 16.0;
        let bar_room = WIDTH - CV_LABEL - CV_VALUE_ROOM;
        let mut max: f64 = 0.0;
        for ((_, _), c) in &self.before.cv {
            max = max.max(c.limit).max(c.value.unwrap_or(0.0));
        }
        if let Some(a) = self.after {
            for c in a.cv.values() {
                max = max.max(c.value.unwrap_or(0.0));
            }
        }
        let (axis_max, step) = nice_axis(max);
        let scale = |v: f64| CV_LABEL + (v / axis_max).clamp(0.0, 1.0) * bar_room;
        let mut svg = String::new();
        w!(
            svg,
            "<svg class=\"chart cv-chart\" viewBox=\"0 0 {WIDTH} {height:.0}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" font-family=\"inherit\">\n",
            self.t("差异系数", "Difference coefficients")
        );
        let legend: Vec<(&str, &str)> = if has_after {
            vec![
                (GREY, self.t("调整前", "before")),
                (BLUE, self.t("调整后 不超过限值", "after: within the limit")),
                (RED, self.t("调整后 超过限值", "after: over the limit")),
            ]
        } else {
            vec![(BLUE, self.t("不超过限值", "within the limit")), (RED, self.t("超过限值", "over the limit"))]
        };
        Self::legend(&mut svg, 14.0, &legend, self.t("限值", "limit"));
        grid(&mut svg, &scale, axis_max, step, rows.top, height - 16.0);
        let mut y = rows.top;
        for level in Level::BOTH {
            y = self.cv_group(&mut svg, level, y, rows, &scale);
        }
        svg.push_str("</svg>\n");
        svg
    }

    /// The rows of one level in the chart of difference coefficients, from
    /// `y` down, with the level's limit; returns where the next level starts.
    fn cv_group(&self, svg: &mut String, level: Level, mut y: f64, rows: Rows, scale: &dyn Fn(f64) -> f64) -> f64 {
        let Rows { row_h, group_h, .. } = rows;
        let group_top = y;
        w!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>\n",
            y + 17.0,
            self.level_title(level)
        );
        y += group_h;
        let limit = self.before.cv[&(level, Indicator::ALL[0])].limit;
        for (n, ind) in Indicator::ALL.iter().enumerate() {
            if n % 2 == 1 {
                w!(svg, "<rect x=\"0\" y=\"{y:.1}\" width=\"{WIDTH}\" height=\"{row_h}\" fill=\"#f3f5f8\"/>");
            }
            w!(
                svg,
                "<text x=\"4\" y=\"{:.1}\" font-size=\"11\">{}</text>",
                y + row_h / 2.0 + 4.0,
                escape(self.indicator_short(*ind))
            );
            self.cv_bar(svg, level, *ind, y, row_h, scale);
            y += row_h;
        }
        let lx = scale(limit);
        w!(
            svg,
            "<line x1=\"{lx:.1}\" x2=\"{lx:.1}\" y1=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{RED}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            group_top + 20.0
        );
        w!(
            svg,
            "<text x=\"{lx:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"{RED}\" text-anchor=\"middle\">{} {}</text>\n",
            group_top + 16.0,
            self.t("限值", "limit"),
            trim_number(limit)
        );
        y
    }

    /// The bar(s) of one coefficient in the row at `y`: grey before and
    /// coloured after for a plan, blue within the limit and red over it,
    /// with the value(s) at its end.
    fn cv_bar(&self, svg: &mut String, level: Level, ind: Indicator, y: f64, row_h: f64, scale: &dyn Fn(f64) -> f64) {
        let x0 = CV_LABEL;
        let b = &self.before.cv[&(level, ind)];
        let a = self.after.map(|f| &f.cv[&(level, ind)]);
        let (main, main_y, main_h) = match a {
            Some(a) => {
                if let Some(v) = b.value {
                    w!(
                        svg,
                        "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"7\" fill=\"{GREY}\"/>",
                        y + 2.5,
                        scale(v) - x0
                    );
                }
                (a, y + 10.5, 7.0)
            }
            None => (b, y + 3.0, 10.0),
        };
        let Some(v) = main.value else {
            w!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#718096\">{}</text>\n",
                x0 + 4.0,
                y + row_h / 2.0 + 4.0,
                self.t("— 无数据", "— no data")
            );
            return;
        };
        let colour = if main.within_limit() { BLUE } else { RED };
        let end = scale(v);
        w!(
            svg,
            "<rect x=\"{x0:.1}\" y=\"{main_y:.1}\" width=\"{:.1}\" height=\"{main_h}\" fill=\"{colour}\"/>",
            end - x0
        );
        let text = match (a, b.value) {
            (Some(_), Some(before)) => format!("{before:.4} → {v:.4}"),
            (Some(_), None) => format!("— → {v:.4}"),
            (None, _) => format!("{v:.4}"),
        };
        w!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#2d3748\" {HALO}>{text}</text>\n",
            end + 4.0,
            main_y + main_h - 0.5
        );
    }
}

/// Where the rows of a chart sit: the first row's top, a row's height and a
/// level header's height.
#[derive(Clone, Copy)]
struct Rows {
    top: f64,
    row_h: f64,
    group_h: f64,
}

/// The rows of the teacher chart: per level, the positions (in
/// `CountyFigures::sections`) of its sections with students.
struct TeacherRows {
    groups: Vec<(Level, Vec<usize>)>,
    at: Rows,
}

impl TeacherRows {
    /// Every other row shaded across the whole width.
    fn shading(&self) -> String {
        let Rows { top, row_h, group_h } = self.at;
        let mut y = top;
        let mut shade = String::new();
        for (_, rows) in &self.groups {
            y += group_h;
            for (n, _) in rows.iter().enumerate() {
                if n % 2 == 1 {
                    w!(shade, "<rect x=\"0\" y=\"{y:.1}\" width=\"{WIDTH}\" height=\"{row_h}\" fill=\"#f3f5f8\"/>");
                }
                y += row_h;
            }
        }
        shade
    }
}
