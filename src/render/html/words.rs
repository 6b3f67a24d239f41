//! The page's own words: domain words in the report's language, indicator
//! names (long and short), standings, compliance, and links to a school's
//! letter.

use crate::domain::{Backbone, Degree, Facility, Level, Subject, TeacherIndicator};
use crate::render::html::format::capitalise;
use crate::render::html::{escape, Report};
use crate::render::words::word;
use crate::render::Lang;
use crate::rules::indicators::{Indicator, NotCounted, SectionFigures, Standing};

impl Report<'_> {
    /// The section word: 小学/初中, primary/junior.
    pub(super) fn level_word(&self, level: Level) -> &'static str {
        word(level, self.lang)
    }

    /// The level as a heading (capitalised in English).
    pub(super) fn level_title(&self, level: Level) -> String {
        capitalise(self.level_word(level))
    }

    /// The indicator's full name, as the inspection words it.
    pub(super) fn indicator_name(&self, ind: Indicator) -> &'static str {
        match self.lang {
            Lang::Zh => ind.name_zh(),
            Lang::En => match ind {
                Indicator::Teacher(TeacherIndicator::HigherDegree) => {
                    "Teachers above the required degree per 100 students"
                }
                Indicator::Teacher(TeacherIndicator::Backbone) => {
                    "County-level or higher backbone teachers per 100 students"
                }
                Indicator::Teacher(TeacherIndicator::PeArts) => "PE, music and art teachers per 100 students",
                Indicator::Facility(Facility::TeachingArea) => "Teaching and auxiliary rooms, m² per student",
                Indicator::Facility(Facility::SportsArea) => "Sports grounds and halls, m² per student",
                Indicator::Facility(Facility::Equipment) => "Teaching equipment, yuan per student",
                Indicator::Facility(Facility::MultimediaRooms) => "Networked multimedia classrooms per 100 students",
            },
        }
    }

    /// The indicator's short name, for chart panels and rows.
    pub(super) fn indicator_short(&self, ind: Indicator) -> &'static str {
        match (ind, self.lang) {
            (Indicator::Teacher(TeacherIndicator::HigherDegree), Lang::Zh) => "高学历教师（每百生）",
            (Indicator::Teacher(TeacherIndicator::Backbone), Lang::Zh) => "骨干教师（每百生）",
            (Indicator::Teacher(TeacherIndicator::PeArts), Lang::Zh) => "体艺教师（每百生）",
            (Indicator::Facility(Facility::TeachingArea), Lang::Zh) => "生均教学辅助用房",
            (Indicator::Facility(Facility::SportsArea), Lang::Zh) => "生均体育运动场馆",
            (Indicator::Facility(Facility::Equipment), Lang::Zh) => "生均教学仪器设备值",
            (Indicator::Facility(Facility::MultimediaRooms), Lang::Zh) => "多媒体教室（每百生）",
            (Indicator::Teacher(TeacherIndicator::HigherDegree), Lang::En) => "Higher degree /100",
            (Indicator::Teacher(TeacherIndicator::Backbone), Lang::En) => "Backbone /100",
            (Indicator::Teacher(TeacherIndicator::PeArts), Lang::En) => "PE & arts /100",
            (Indicator::Facility(Facility::TeachingArea), Lang::En) => "Teaching rooms m²/student",
            (Indicator::Facility(Facility::SportsArea), Lang::En) => "Sports area m²/student",
            (Indicator::Facility(Facility::Equipment), Lang::En) => "Equipment yuan/student",
            (Indicator::Facility(Facility::MultimediaRooms), Lang::En) => "Multimedia rooms /100",
        }
    }

    /// The teacher-indicator noun used in "N more … needed".
    pub(super) fn teacher_noun(&self, k: TeacherIndicator) -> &'static str {
        match (k, self.lang) {
            (TeacherIndicator::HigherDegree, Lang::Zh) => "高于规定学历教师",
            (TeacherIndicator::Backbone, Lang::Zh) => "县级及以上骨干教师",
            (TeacherIndicator::PeArts, Lang::Zh) => "体育、艺术专任教师",
            (TeacherIndicator::HigherDegree, Lang::En) => "teachers above the required degree",
            (TeacherIndicator::Backbone, Lang::En) => "backbone teachers",
            (TeacherIndicator::PeArts, Lang::En) => "PE or arts teachers",
        }
    }

    /// The standing of an indicator and the CSS class that colours it.
    pub(super) fn standing_word(&self, standing: Option<Standing>) -> (&'static str, &'static str) {
        match standing {
            Some(Standing::Reaches) => (self.t("达标", "reaches"), "ok"),
            Some(Standing::Below) => (self.t("未达标", "below"), "warn"),
            Some(Standing::Below85) => (self.t("低于标准的85%", "below 85 %"), "bad"),
            Some(Standing::NoData) => (self.t("无数据，按达标计", "no data, taken as reaching"), "muted"),
            None => ("—", "muted"),
        }
    }

    /// Whether a section complies, as a coloured word.
    pub(super) fn compliance_word(&self, s: &SectionFigures) -> String {
        match s.compliant {
            Some(true) => format!("<span class=\"ok\">{}</span>", self.t("达标", "complies")),
            Some(false) => format!("<span class=\"bad\">{}</span>", self.t("未达标", "fails")),
            None => format!("<span class=\"muted\">{}</span>", self.t("无学生", "no students")),
        }
    }

    /// Why a section is left out of the county figures.
    pub(super) fn not_counted_text(&self, reason: NotCounted, students: u32) -> String {
        let min = self.county.policy.standards.min_students_counted;
        match (reason, self.lang) {
            (NotCounted::NoStudents, Lang::Zh) => "该学段无学生，不参与评估。".into(),
            (NotCounted::NoStudents, Lang::En) => "The section has no students and is not scored.".into(),
            (NotCounted::SmallTeachingPoint, Lang::Zh) => {
                format!("教学点学生 {students} 人，少于 {min} 人，列出指标但不计入县域统计。")
            }
            (NotCounted::SmallTeachingPoint, Lang::En) => format!(
                "A teaching point with {students} students (under {min}): figures are shown but left out of the county figures."
            ),
        }
    }

    /// The school's name with its id.
    pub(super) fn school_label(&self, pos: usize) -> String {
        let school = &self.county.schools[pos];
        format!("{} <span class=\"id\">{}</span>", escape(&school.name), escape(&school.id))
    }

    /// The school's name linking to its letter, with its id.
    pub(super) fn school_link(&self, pos: usize) -> String {
        let school = &self.county.schools[pos];
        format!(
            "<a href=\"#school-{}\">{}</a> <span class=\"id\">{}</span>",
            escape(&school.id),
            escape(&school.name),
            escape(&school.id)
        )
    }

    /// The subject word: 语文…, chinese….
    pub(super) fn subject_word(&self, s: Subject) -> &'static str {
        word(s, self.lang)
    }

    /// The backbone level word: 市级…, city….
    pub(super) fn backbone_word(&self, b: Backbone) -> &'static str {
        word(b, self.lang)
    }

    /// The degree word: 本科…, bachelor….
    pub(super) fn degree_word(&self, d: Degree) -> &'static str {
        word(d, self.lang)
    }
}
