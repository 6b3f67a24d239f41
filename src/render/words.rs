//! The phrase book: every domain word a person reads, in Chinese and in
//! English, in one place. Render code asks here (`word(subject, lang)`)
//! instead of spelling words itself; the closed word sets of `domain` stay the
//! source of their own spellings (`word()` is also the file format's word).

use crate::domain::{
    Area, Backbone, Degree, Facility, Gender, Level, LockAction, Role, SchoolKind, Subject, TeacherIndicator, Title,
};
use crate::model::Stage;
use crate::render::Lang;
use crate::rules::eligibility::{on_exchange_zh, Ineligibility};
use crate::rules::indicators::{Indicator, Standing};

/// One word or phrase in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phrase {
    /// Chinese.
    pub zh: &'static str,
    /// English (for closed word sets, the word the files use).
    pub en: &'static str,
}

impl Phrase {
    /// The phrase in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

const fn phrase(zh: &'static str, en: &'static str) -> Phrase {
    Phrase { zh, en }
}

/// Something that has a name in the phrase book.
pub trait Worded: Copy {
    /// The name in both languages.
    fn phrase(self) -> Phrase;
}

/// The word for `value` in `lang`: `word(Level::Junior, Lang::Zh)` is 初中.
pub fn word<W: Worded>(value: W, lang: Lang) -> &'static str {
    value.phrase().get(lang)
}

/// The domain's closed word sets carry their own spellings (English in files, Chinese in outputs).
macro_rules! worded_domain {
    ($($t:ty),+) => {
        $(impl Worded for $t {
            fn phrase(self) -> Phrase {
                Phrase { zh: self.word_zh(), en: self.word() }
            }
        })+
    };
}

worded_domain!(Level, SchoolKind, Area, Subject, Degree, Backbone, Title, Gender, Role, LockAction);

/// The kind of a row of the rotation list (rotations.csv's `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ListKind {
    /// A rotation move: 交流.
    Rotation,
    /// A return from exchange: 返回.
    Return,
    /// A due return extended by one year: 续任.
    Extend,
}

impl Worded for ListKind {
    fn phrase(self) -> Phrase {
        match self {
            ListKind::Rotation => phrase("交流", "rotation"),
            ListKind::Return => phrase("返回", "return"),
            ListKind::Extend => phrase("续任", "extend"),
        }
    }
}

/// Yes or no: 是/否, yes/no (the English word is the one files use).
impl Worded for bool {
    fn phrase(self) -> Phrase {
        if self {
            phrase("是", "yes")
        } else {
            phrase("否", "no")
        }
    }
}

/// A teacher indicator by what it counts: 高学历教师, higher-degree teachers.
impl Worded for TeacherIndicator {
    fn phrase(self) -> Phrase {
        match self {
            TeacherIndicator::HigherDegree => phrase("高学历教师", "higher-degree teachers"),
            TeacherIndicator::Backbone => phrase("骨干教师", "backbone teachers"),
            TeacherIndicator::PeArts => phrase("体艺教师", "PE/arts teachers"),
        }
    }
}

/// A facility indicator by what it measures.
impl Worded for Facility {
    fn phrase(self) -> Phrase {
        match self {
            Facility::TeachingArea => phrase("生均教学及辅助用房面积", "teaching rooms m²/student"),
            Facility::SportsArea => phrase("生均体育运动场馆面积", "sports area m²/student"),
            Facility::Equipment => phrase("生均教学仪器设备值", "equipment yuan/student"),
            Facility::MultimediaRooms => phrase("每百生网络多媒体教室数", "multimedia rooms /100"),
        }
    }
}

/// Any of the seven indicators, by its short name.
impl Worded for Indicator {
    fn phrase(self) -> Phrase {
        match self {
            Indicator::Teacher(k) => k.phrase(),
            Indicator::Facility(f) => f.phrase(),
        }
    }
}

/// A stage of the plan by its objective.
impl Worded for Stage {
    fn phrase(self) -> Phrase {
        match self {
            Stage::Compliance => phrase("达标学段", "compliant sections"),
            Stage::Shortfall => phrase("缺口", "shortfall"),
            Stage::SubjectGaps => phrase("学科缺员（开齐开足）", "subject teachers missing"),
            Stage::CvSquares => phrase("差异系数平方和", "sum of CV²"),
            Stage::Structure => phrase("职称与年龄结构差异系数平方和", "title and age structure: sum of CV²"),
            Stage::Forced => phrase("已安排交流的非自愿者", "non-volunteers moved"),
            Stage::Volunteers => phrase("已安排交流的自愿者", "volunteers moved"),
            Stage::Wish(k) => match k {
                1 => phrase("满足第一志愿", "granted at wish 1"),
                2 => phrase("满足第二志愿", "granted at wish 2"),
                3 => phrase("满足第三志愿", "granted at wish 3"),
                4 => phrase("满足第四志愿", "granted at wish 4"),
                _ => phrase("满足第五志愿", "granted at wish 5"),
            },
            Stage::Distance => phrase("总距离", "distance"),
        }
    }
}

/// Where an indicator stands against its standard.
impl Worded for Standing {
    fn phrase(self) -> Phrase {
        match self {
            Standing::Reaches => phrase("达标", "reaches the standard"),
            Standing::Below => phrase("未达标", "below standard"),
            Standing::Below85 => phrase("低于标准85%", "below 85 % of standard"),
            Standing::NoData => phrase("无数据，按达标计", "no data, taken as reaching"),
        }
    }
}

/// A teacher indicator per 100 students, as a move's reason names it.
pub fn per_hundred(k: TeacherIndicator, lang: Lang) -> &'static str {
    match k {
        TeacherIndicator::HigherDegree => lang.pick("每百名学生高学历教师", "higher-degree teachers per 100 students"),
        TeacherIndicator::Backbone => lang.pick("每百名学生骨干教师", "backbone per 100 students"),
        TeacherIndicator::PeArts => lang.pick("每百名学生体艺教师", "PE/arts teachers per 100 students"),
    }
}

/// An indicator's full name as the inspection states it.
pub fn indicator_title(ind: Indicator, lang: Lang) -> &'static str {
    let en = match ind {
        Indicator::Teacher(TeacherIndicator::HigherDegree) => "Teachers above the required degree per 100 students",
        Indicator::Teacher(TeacherIndicator::Backbone) => "County-level or higher backbone teachers per 100 students",
        Indicator::Teacher(TeacherIndicator::PeArts) => "PE, music and art teachers per 100 students",
        Indicator::Facility(Facility::TeachingArea) => "Teaching and auxiliary rooms, m² per student",
        Indicator::Facility(Facility::SportsArea) => "Sports grounds and halls, m² per student",
        Indicator::Facility(Facility::Equipment) => "Teaching equipment, yuan per student",
        Indicator::Facility(Facility::MultimediaRooms) => "Networked multimedia classrooms per 100 students",
    };
    lang.pick(ind.name_zh(), en)
}

/// Why a teacher may not rotate, in words. The English matches
/// [`Ineligibility::describe_en`], which input messages use.
pub fn ineligibility(reason: &Ineligibility, lang: Lang) -> String {
    match (reason, lang) {
        (Ineligibility::PartTime, Lang::Zh) => "非专任教师".into(),
        (Ineligibility::PartTime, Lang::En) => "not a full-time teacher".into(),
        (Ineligibility::PrincipalYears(r, y, n), Lang::Zh) => format!("{}在校 {y} 年，不足 {n} 年", word(*r, lang)),
        (Ineligibility::PrincipalYears(..), Lang::En) => reason.describe_en(),
        (Ineligibility::YearsAtSchool(y, n), Lang::Zh) => format!("在校 {y} 年，不足 {n} 年"),
        (Ineligibility::YearsAtSchool(y, n), Lang::En) => format!("{y} years at the school, fewer than {n}"),
        (Ineligibility::Age(a, l), Lang::Zh) => format!("年龄 {a} 岁，超过 {l} 岁"),
        (Ineligibility::Age(a, l), Lang::En) => format!("age {a}, above the limit of {l}"),
        (Ineligibility::Exempt(r), Lang::Zh) => format!("暂缓交流：{r}"),
        (Ineligibility::Exempt(r), Lang::En) => format!("exempt: {r}"),
        (Ineligibility::RecentRotation(y, n), Lang::Zh) => format!("上次交流距今 {y} 年，不足 {n} 年"),
        (Ineligibility::RecentRotation(y, n), Lang::En) => format!("last rotation {y} years ago, fewer than {n}"),
        (Ineligibility::OnExchange { .. }, Lang::En) => reason.describe_en(),
        (Ineligibility::OnExchange { home, end_year, decision, due }, Lang::Zh) => {
            on_exchange_zh(home, *end_year, *decision, *due)
        }
    }
}

/// The separator between clauses of one sentence: "；" or "; ".
pub fn clause_separator(lang: Lang) -> &'static str {
    lang.pick("；", "; ")
}
