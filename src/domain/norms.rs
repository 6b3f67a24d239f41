//! The staffing norms (编制标准) and the school-size and room standards of
//! a county's policy, and the classes of classes.csv (班级): plain data.

use crate::domain::policy::{dec, PerLevel};
use crate::domain::{County, Exact, Level};

/// `[staffing]` norm keys and the `[standards]` size and room keys.
///
/// Sources: students per staff from 中央编办 教育部 财政部《关于统一城乡中小学
/// 教职工编制标准的通知》(中央编办发〔2014〕72号): primary 1:19, junior 1:13.5,
/// one standard for town and country. Small rural schools and teaching
/// points are staffed by students and classes together (国办发〔2018〕27号
/// 《关于全面加强乡村小规模学校和乡镇寄宿制学校建设的指导意见》: 按照生师比与
/// 班师比相结合的方式核定编制; 小规模学校 = fewer than 100 students); the
/// class-teacher ratio is set by each province, the defaults are the
/// commonly used 1.7 staff per primary class and 2.7 per junior class.
/// School size: 2,000 students (2,500 for a nine-year school) from the
/// national school-building standards the 优质均衡 inspection cites; music
/// and art rooms: one of each per 12 classes (the county plan, item 2).
/// 大班额 is a class of 56 or more, 超大班额 66 or more (国发〔2016〕40号).
#[derive(Clone, Debug, PartialEq)]
pub struct NormsPolicy {
    /// `staffing.students_per_staff`: students per staff post.
    pub students_per_staff: PerLevel<Exact>,
    /// `staffing.small_school_students`: a rural school section or a
    /// teaching point with fewer students than this is staffed by the
    /// class rule too.
    pub small_school_students: u32,
    /// `staffing.staff_per_class`: staff posts per class under the class rule.
    pub staff_per_class: PerLevel<Exact>,
    /// `standards.max_school_students`: a school with more students is flagged.
    pub max_school_students: u32,
    /// `standards.max_nine_year_students`: the same for a nine-year school.
    pub max_nine_year_students: u32,
    /// `standards.classes_per_music_room`: one music room per this many classes.
    pub classes_per_music_room: u32,
    /// `standards.classes_per_art_room`: one art room per this many classes.
    pub classes_per_art_room: u32,
    /// `standards.large_class`: a class of this many students or more is 大班额.
    pub large_class: u32,
    /// `standards.very_large_class`: 超大班额 from this many students.
    pub very_large_class: u32,
}

impl Default for NormsPolicy {
    fn default() -> NormsPolicy {
        NormsPolicy {
            students_per_staff: PerLevel { primary: dec("19"), junior: dec("13.5") },
            small_school_students: 100,
            staff_per_class: PerLevel { primary: dec("1.7"), junior: dec("2.7") },
            max_school_students: 2000,
            max_nine_year_students: 2500,
            classes_per_music_room: 12,
            classes_per_art_room: 12,
            large_class: 56,
            very_large_class: 66,
        }
    }
}

/// One class of classes.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct Class {
    /// 学校代码.
    pub school_id: String,
    /// 学段.
    pub level: Level,
    /// 年级 (1–9).
    pub grade: u32,
    /// 班级: the class's name or number within its grade.
    pub class: String,
    /// 学生数.
    pub students: u32,
}

impl County {
    /// The same county with these classes (file order).
    pub fn with_classes(mut self, classes: Vec<Class>) -> County {
        self.classes = classes;
        self
    }
}
