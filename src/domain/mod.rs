//! Plain domain types: schools, teachers, locks, roads and the county that
//! holds them. No file formats and no solver types live here.

pub mod applications;
pub mod changes;
pub mod norms;
pub mod policy;

use std::collections::BTreeMap;

use crate::domain::policy::Policy;

pub use crate::exact::Exact;

/// Declares a closed set of words with their English and Chinese spellings.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($en:literal, $zh:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $(#[doc = $zh] $variant),+ }

        impl $name {
            /// Every value with its English and Chinese word, in declaration order.
            pub const ALL: &'static [($name, &'static str, &'static str)] = &[$(($name::$variant, $en, $zh)),+];

            /// The English word used in files and outputs.
            pub fn word(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// The Chinese word used in Chinese outputs.
            pub fn word_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// Reads an English or Chinese word, ignoring case and spaces.
            pub fn parse(text: &str) -> Option<$name> {
                // Most cells hold the word exactly as listed: no allocation then.
                let trimmed = text.trim();
                if let Some((v, _, _)) = Self::ALL.iter().find(|(_, en, zh)| *en == trimmed || *zh == trimmed) {
                    return Some(*v);
                }
                let key = crate::domain::normalize_word(text);
                Self::ALL.iter().find(|(_, en, zh)| {
                    crate::domain::normalize_word(en) == key || crate::domain::normalize_word(zh) == key
                }).map(|(v, _, _)| *v)
            }

            /// All accepted English words, for messages.
            pub fn words() -> Vec<&'static str> {
                Self::ALL.iter().map(|(_, en, _)| *en).collect()
            }
        }
    };
}

/// Lower-cases and drops spaces, underscores and hyphens, so that
/// `Nine Year`, `nine_year` and `NINE-YEAR` read the same.
pub fn normalize_word(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(|c| c.to_lowercase())
        .collect()
}

word_enum!(
    /// A school section (学段).
    Level { Primary => ("primary", "小学"), Junior => ("junior", "初中") }
);

impl Level {
    /// Index for per-level arrays: primary 0, junior 1.
    pub fn index(self) -> usize {
        match self {
            Level::Primary => 0,
            Level::Junior => 1,
        }
    }
    /// Both levels, primary first.
    pub const BOTH: [Level; 2] = [Level::Primary, Level::Junior];
}

word_enum!(
    /// The kind of school (类型).
    SchoolKind {
        Primary => ("primary", "小学"),
        Junior => ("junior", "初中"),
        NineYear => ("nine_year", "九年一贯制"),
        TeachingPoint => ("teaching_point", "教学点"),
    }
);

impl SchoolKind {
    /// The sections a school of this kind has.
    pub fn levels(self) -> &'static [Level] {
        match self {
            SchoolKind::Primary | SchoolKind::TeachingPoint => &[Level::Primary],
            SchoolKind::Junior => &[Level::Junior],
            SchoolKind::NineYear => &[Level::Primary, Level::Junior],
        }
    }
    /// Whether a school of this kind has that section.
    pub fn has(self, level: Level) -> bool {
        self.levels().contains(&level)
    }
}

word_enum!(
    /// Urban, town or rural (城乡).
    Area { Urban => ("urban", "城区"), Town => ("town", "镇区"), Rural => ("rural", "乡村") }
);

word_enum!(
    /// The subject a teacher teaches (任教学科).
    Subject {
        Chinese => ("chinese", "语文"),
        Math => ("math", "数学"),
        English => ("english", "英语"),
        Pe => ("pe", "体育"),
        Music => ("music", "音乐"),
        Art => ("art", "美术"),
        Science => ("science", "科学"),
        Ethics => ("ethics", "道德与法治"),
        History => ("history", "历史"),
        Geography => ("geography", "地理"),
        Physics => ("physics", "物理"),
        Chemistry => ("chemistry", "化学"),
        Biology => ("biology", "生物"),
        It => ("it", "信息科技"),
        Labor => ("labor", "劳动"),
        Psychology => ("psychology", "心理健康"),
        SpecialEd => ("special_ed", "特殊教育"),
        Practice => ("practice", "综合实践"),
        Other => ("other", "其他"),
    }
);

impl Subject {
    /// PE, music or art: the subjects of the pe_arts indicator.
    pub fn is_pe_arts(self) -> bool {
        matches!(self, Subject::Pe | Subject::Music | Subject::Art)
    }
}

word_enum!(
    /// Highest degree (学历).
    Degree {
        Secondary => ("secondary", "中专及以下"),
        Associate => ("associate", "专科"),
        Bachelor => ("bachelor", "本科"),
        Postgraduate => ("postgraduate", "研究生"),
    }
);

impl Degree {
    /// Whether this degree is above the one required for the section
    /// (primary: associate or above; junior: bachelor or above).
    pub fn is_higher_for(self, level: Level) -> bool {
        match level {
            Level::Primary => self >= Degree::Associate,
            Level::Junior => self >= Degree::Bachelor,
        }
    }
}

word_enum!(
    /// Backbone-teacher level (骨干级别).
    Backbone {
        None => ("none", "无"),
        County => ("county", "县级"),
        City => ("city", "市级"),
        Province => ("province", "省级"),
        National => ("national", "国家级"),
    }
);

impl Backbone {
    /// County level or above counts as backbone.
    pub fn is_backbone(self) -> bool {
        self >= Backbone::County
    }
}

word_enum!(
    /// Professional title (职称).
    Title {
        None => ("none", "无"),
        Third => ("third", "三级"),
        Second => ("second", "二级"),
        First => ("first", "一级"),
        Senior => ("senior", "高级"),
        Professor => ("professor", "正高级"),
    }
);

word_enum!(
    /// Gender (性别).
    Gender { Male => ("M", "男"), Female => ("F", "女") }
);

word_enum!(
    /// Role at the school (职务).
    Role { Teacher => ("teacher", "教师"), Principal => ("principal", "校长"), VicePrincipal => ("vice_principal", "副校长") }
);

word_enum!(
    /// What a lock asks for (操作).
    LockAction {
        Stay => ("stay", "留任"),
        Move => ("move", "交流"),
        MoveTo => ("move_to", "指定交流"),
        Forbid => ("forbid", "不得交流至"),
    }
);

word_enum!(
    /// What happens to a teacher on exchange when the term ends (处理方式).
    ExchangeDecision {
        Return => ("return", "返回"),
        Extend => ("extend", "续任"),
        Transfer => ("transfer", "转任"),
    }
);

/// One row of the exchange register (exchanges.csv, 交流记录): a teacher
/// who teaches at `host_school_id` (their school in teachers.csv) on an
/// exchange from `home_school_id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    /// 教师编号.
    pub teacher_id: String,
    /// 原学校代码: the school the teacher returns to.
    pub home_school_id: String,
    /// 交流学校代码: where the teacher serves during the exchange.
    pub host_school_id: String,
    /// 开始年份.
    pub start_year: i32,
    /// 结束年份: the return is due in the plan of this school year or later.
    pub end_year: i32,
    /// 处理方式: return (default), extend or transfer.
    pub decision: ExchangeDecision,
}

impl Exchange {
    /// Whether the teacher goes home in the plan of `year`: the term has
    /// ended and the decision is to return.
    pub fn returns_in(&self, year: i32) -> bool {
        self.end_year <= year && self.decision == ExchangeDecision::Return
    }
    /// Whether the teacher is on exchange (not yet settled) in `year`: every
    /// register row except a transfer whose term has ended.
    pub fn on_exchange_in(&self, year: i32) -> bool {
        !(self.decision == ExchangeDecision::Transfer && self.end_year <= year)
    }
}

/// The four facility indicators of the inspection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facility {
    /// 教学及辅助用房面积, m² per student.
    TeachingArea,
    /// 体育运动场馆面积, m² per student.
    SportsArea,
    /// 教学仪器设备值, yuan per student.
    Equipment,
    /// 网络多媒体教室数, rooms per 100 students.
    MultimediaRooms,
}

impl Facility {
    /// All four, in SPEC order.
    pub const ALL: [Facility; 4] =
        [Facility::TeachingArea, Facility::SportsArea, Facility::Equipment, Facility::MultimediaRooms];
    /// The indicator key used in files.
    pub fn key(self) -> &'static str {
        match self {
            Facility::TeachingArea => "teaching_area_m2",
            Facility::SportsArea => "sports_area_m2",
            Facility::Equipment => "equipment_yuan",
            Facility::MultimediaRooms => "multimedia_rooms",
        }
    }
    /// The Chinese name of the indicator.
    pub fn name_zh(self) -> &'static str {
        match self {
            Facility::TeachingArea => "生均教学及辅助用房面积",
            Facility::SportsArea => "生均体育运动场馆面积",
            Facility::Equipment => "生均教学仪器设备值",
            Facility::MultimediaRooms => "每百名学生网络多媒体教室数",
        }
    }
    /// Whether the value is per 100 students (else per student).
    pub fn per_hundred(self) -> bool {
        matches!(self, Facility::MultimediaRooms)
    }
    /// Index for per-facility arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The three teacher indicators of the inspection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TeacherIndicator {
    /// Teachers above the required degree per 100 students.
    HigherDegree,
    /// County-or-higher backbone teachers per 100 students.
    Backbone,
    /// PE, music and art teachers per 100 students.
    PeArts,
}

impl TeacherIndicator {
    /// All three, in SPEC order.
    pub const ALL: [TeacherIndicator; 3] =
        [TeacherIndicator::HigherDegree, TeacherIndicator::Backbone, TeacherIndicator::PeArts];
    /// The indicator key used in files.
    pub fn key(self) -> &'static str {
        match self {
            TeacherIndicator::HigherDegree => "higher_degree",
            TeacherIndicator::Backbone => "backbone",
            TeacherIndicator::PeArts => "pe_arts",
        }
    }
    /// The Chinese name of the indicator.
    pub fn name_zh(self) -> &'static str {
        match self {
            TeacherIndicator::HigherDegree => "每百名学生高于规定学历教师数",
            TeacherIndicator::Backbone => "每百名学生县级及以上骨干教师数",
            TeacherIndicator::PeArts => "每百名学生体育、艺术（美术、音乐）专任教师数",
        }
    }
    /// Index for per-indicator arrays.
    pub fn index(self) -> usize {
        self as usize
    }
    /// Whether a full-time teacher counts toward this indicator in `level`.
    pub fn counts(self, teacher: &Teacher, level: Level) -> bool {
        match self {
            TeacherIndicator::HigherDegree => teacher.degree.is_higher_for(level),
            TeacherIndicator::Backbone => teacher.backbone.is_backbone(),
            TeacherIndicator::PeArts => teacher.subject.is_pe_arts(),
        }
    }
}

/// Optional facility totals of a school (whole school, both sections).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facilities {
    /// Totals indexed by [`Facility::index`]; `None` where the data is missing.
    pub totals: [Option<Exact>; 4],
}

/// A school as the bureau lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct School {
    /// 学校代码.
    pub id: String,
    /// 学校名称.
    pub name: String,
    /// 乡镇.
    pub town: String,
    /// 类型.
    pub kind: SchoolKind,
    /// 城乡.
    pub area: Area,
    /// Students per level, indexed by [`Level::index`].
    pub students: [u32; 2],
    /// Classes per level, indexed by [`Level::index`].
    pub classes: [u32; 2],
    /// WGS84 latitude and longitude.
    pub location: Option<(f64, f64)>,
    /// Urban–rural alliance id (城乡教育联盟).
    pub alliance: Option<String>,
    /// Facility totals.
    pub facilities: Facilities,
    /// 编制数: headcount cap for the whole school.
    pub staff_quota: Option<u32>,
    /// 音乐教室: music rooms, when given.
    pub music_rooms: Option<u32>,
    /// 美术教室: art rooms, when given.
    pub art_rooms: Option<u32>,
}

impl School {
    /// Whether the school has this section.
    pub fn has(&self, level: Level) -> bool {
        self.kind.has(level)
    }
}

/// A teacher as the bureau lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct Teacher {
    /// 教师编号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// The school where the teacher serves now.
    pub school_id: String,
    /// 学段.
    pub level: Level,
    /// 任教学科.
    pub subject: Subject,
    /// 学历.
    pub degree: Degree,
    /// 骨干级别.
    pub backbone: Backbone,
    /// 职称.
    pub title: Option<Title>,
    /// 性别.
    pub gender: Gender,
    /// 出生年份.
    pub birth_year: i32,
    /// 到校年份.
    pub school_since: i32,
    /// 教师资格证.
    pub certified: bool,
    /// 专任.
    pub full_time: bool,
    /// 职务.
    pub role: Role,
    /// 暂缓交流原因.
    pub exempt: Option<String>,
    /// 上次交流年份.
    pub last_rotated: Option<i32>,
}

impl Teacher {
    /// Whether this teacher counts toward an indicator in their own section.
    pub fn counts_for(&self, indicator: TeacherIndicator) -> bool {
        self.full_time && indicator.counts(self, self.level)
    }
}

/// A planner's lock on one teacher (locks.csv).
#[derive(Clone, Debug, PartialEq)]
pub struct Lock {
    /// 教师编号.
    pub teacher_id: String,
    /// 操作.
    pub action: LockAction,
    /// Target school for `move_to` and `forbid`.
    pub school_id: Option<String>,
    /// 备注.
    pub note: String,
}

/// One road of roads.csv; nodes are school ids or town names.
#[derive(Clone, Debug, PartialEq)]
pub struct Road {
    /// One end.
    pub from: String,
    /// Other end.
    pub to: String,
    /// Length in km.
    pub km: f64,
}

/// An override of the computed subject need (staffing.csv).
#[derive(Clone, Debug, PartialEq)]
pub struct StaffingNeed {
    /// School.
    pub school_id: String,
    /// Section.
    pub level: Level,
    /// Subject.
    pub subject: Subject,
    /// Teachers needed.
    pub need: u32,
}

/// Everything read from one data folder or workbook, validated.
#[derive(Clone, Debug)]
pub struct County {
    /// Schools sorted by id.
    pub schools: Vec<School>,
    /// Teachers sorted by id.
    pub teachers: Vec<Teacher>,
    /// The policy in force (defaults plus overrides).
    pub policy: Policy,
    /// Locks, in file order.
    pub locks: Vec<Lock>,
    /// Roads, in file order.
    pub roads: Vec<Road>,
    /// Subject-need overrides.
    pub staffing: Vec<StaffingNeed>,
    /// The exchange register (exchanges.csv), in file order.
    pub exchanges: Vec<Exchange>,
    /// Applications (applications.csv), in file order.
    pub applications: Vec<applications::Application>,
    /// Family ties (family.csv), in file order.
    pub family: Vec<applications::FamilyTie>,
    /// Classes (classes.csv), in file order; empty when not given.
    pub classes: Vec<norms::Class>,
    exchange_index: BTreeMap<String, usize>,
    application_index: BTreeMap<String, usize>,
    school_index: BTreeMap<String, usize>,
}

impl County {
    /// Builds a county, sorting schools and teachers by id.
    pub fn new(
        mut schools: Vec<School>,
        mut teachers: Vec<Teacher>,
        policy: Policy,
        locks: Vec<Lock>,
        roads: Vec<Road>,
        staffing: Vec<StaffingNeed>,
    ) -> County {
        schools.sort_by(|a, b| a.id.cmp(&b.id));
        teachers.sort_by(|a, b| a.id.cmp(&b.id));
        let school_index = schools.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        County {
            schools,
            teachers,
            policy,
            locks,
            roads,
            staffing,
            exchanges: Vec::new(),
            applications: Vec::new(),
            family: Vec::new(),
            classes: Vec::new(),
            exchange_index: BTreeMap::new(),
            application_index: BTreeMap::new(),
            school_index,
        }
    }

    /// The same county with this exchange register.
    pub fn with_exchanges(mut self, exchanges: Vec<Exchange>) -> County {
        self.exchanges = exchanges;
        self.index_exchanges();
        self
    }

    fn index_exchanges(&mut self) {
        self.exchange_index.clear();
        for (i, e) in self.exchanges.iter().enumerate() {
            self.exchange_index.entry(e.teacher_id.clone()).or_insert(i);
        }
    }

    /// The register row of a teacher, if any.
    pub fn exchange_of(&self, teacher_id: &str) -> Option<&Exchange> {
        // The index is built by `with_exchanges` and `reindex`; a register
        // changed in place since then is searched row by row.
        let indexed = self.exchange_index.len() == self.exchanges.len();
        match self.exchange_index.get(teacher_id).and_then(|&i| self.exchanges.get(i)) {
            Some(e) if e.teacher_id == teacher_id => Some(e),
            None if indexed => None,
            _ => self.exchanges.iter().find(|e| e.teacher_id == teacher_id),
        }
    }

    /// Ids for `count` new hires: `H001`, `H002`, … in order, skipping every
    /// id a teacher of the county has (compared without regard to case), so
    /// that a hire never stands beside a real teacher of the same id.
    pub fn hire_ids(&self, count: usize) -> Vec<String> {
        let taken: std::collections::BTreeSet<String> =
            self.teachers.iter().map(|t| t.id.to_ascii_uppercase()).collect();
        (1u64..).map(|n| format!("H{n:03}")).filter(|id| !taken.contains(id)).take(count).collect()
    }

    /// Index of a school in `schools`.
    pub fn school_pos(&self, id: &str) -> Option<usize> {
        self.school_index.get(id).copied()
    }

    /// The school with this id.
    pub fn school(&self, id: &str) -> Option<&School> {
        self.school_pos(id).map(|i| &self.schools[i])
    }

    /// Rebuilds the id index after schools were changed in place.
    pub fn reindex(&mut self) {
        self.schools.sort_by(|a, b| a.id.cmp(&b.id));
        self.teachers.sort_by(|a, b| a.id.cmp(&b.id));
        self.school_index = self.schools.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        self.index_exchanges();
    }
}
