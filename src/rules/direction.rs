//! The direction of moves (county plan items 3 and 26: urban–rural
//! alliances, rural and weak schools first): moves broken down by the area
//! (urban 城区, town 镇区, rural 乡村) of the school left and of the school
//! joined, for all moves and for backbone moves, and the `direction` rule's
//! test (`rotation.to_rural_min_share`). Due returns are not moves and stay
//! out, as they stay out of the rotation shares.

use crate::domain::{Area, County, Exact};

/// The areas in the order of the breakdown's rows and columns.
pub const AREAS: [Area; 3] = [Area::Urban, Area::Town, Area::Rural];

/// The row or column of an area in [`Direction`].
pub fn area_index(area: Area) -> usize {
    match area {
        Area::Urban => 0,
        Area::Town => 1,
        Area::Rural => 2,
    }
}

/// Moves by (origin area, destination area), indexed by [`area_index`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Direction {
    /// Every move.
    pub all: [[u32; 3]; 3],
    /// Moves of backbone teachers (county level or above).
    pub backbone: [[u32; 3]; 3],
}

impl Direction {
    /// The breakdown of `moves`, each (teacher index, from school, to
    /// school) by position in the county.
    pub fn of_moves(county: &County, moves: impl IntoIterator<Item = (usize, usize, usize)>) -> Direction {
        let mut out = Direction::default();
        for (teacher, from, to) in moves {
            let (a, b) = (area_index(county.schools[from].area), area_index(county.schools[to].area));
            out.all[a][b] += 1;
            if county.teachers[teacher].backbone.is_backbone() {
                out.backbone[a][b] += 1;
            }
        }
        out
    }

    /// The table of all moves (`backbone` false) or of backbone moves.
    pub fn table(&self, backbone: bool) -> &[[u32; 3]; 3] {
        if backbone {
            &self.backbone
        } else {
            &self.all
        }
    }

    /// Moves in the table.
    pub fn total(&self, backbone: bool) -> u32 {
        self.table(backbone).iter().flatten().sum()
    }

    /// Moves from urban and town schools to rural ones.
    pub fn to_rural(&self, backbone: bool) -> u32 {
        let t = self.table(backbone);
        t[0][2] + t[1][2]
    }

    /// [`Self::to_rural`] / [`Self::total`] (0 without moves).
    pub fn to_rural_share(&self, backbone: bool) -> f64 {
        let total = self.total(backbone);
        if total == 0 {
            0.0
        } else {
            f64::from(self.to_rural(backbone)) / f64::from(total)
        }
    }

    /// The `direction` rule: to rural ≥ share × moves, exactly, for all
    /// moves (`backbone` false) or for backbone moves. Returns the least
    /// count to rural when it falls short, else None.
    pub fn shortfall(&self, share: Exact, backbone: bool) -> Option<Exact> {
        let needed = share * Exact::from_integer(i128::from(self.total(backbone)));
        (Exact::from_integer(i128::from(self.to_rural(backbone))) < needed).then_some(needed)
    }
}
