//! Colours for grades and shares, shared by the workbook and the web page so
//! a predikat looks the same in both.
//!
//! Scales differ in their number of grades (seven with BB, six without), so
//! the colours are not tied to grade names: the best grade is dark green, the
//! worst red, and the grades between are spread evenly over one ramp.

/// A colour as `0xRRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u32);

impl Rgb {
    /// `#rrggbb`, for HTML and SVG.
    pub fn hex(self) -> String {
        format!("#{:06x}", self.0)
    }

    fn channels(self) -> [f64; 3] {
        [(self.0 >> 16) & 0xff, (self.0 >> 8) & 0xff, self.0 & 0xff].map(f64::from)
    }

    fn from_channels(c: [f64; 3]) -> Rgb {
        let [r, g, b] = c.map(|v| v.round().clamp(0.0, 255.0) as u32);
        Rgb((r << 16) | (g << 8) | b)
    }

    /// Black or white, whichever reads better on this colour.
    pub fn ink(self) -> Rgb {
        let [r, g, b] = self.channels();
        // Perceived brightness (ITU-R BT.601 weights).
        if 0.299 * r + 0.587 * g + 0.114 * b > 150.0 {
            Rgb(0x1f2328)
        } else {
            Rgb(0xffffff)
        }
    }
}

/// Best to worst: green through yellow to red.
const RAMP: [u32; 7] = [0x1a7f45, 0x4daf4a, 0xa6d96a, 0xe6f28a, 0xfee08b, 0xfdae61, 0xd73027];

/// The colour at `t` along the ramp (0 best, 1 worst).
fn along(t: f64) -> Rgb {
    let t = t.clamp(0.0, 1.0) * (RAMP.len() - 1) as f64;
    let i = (t.floor() as usize).min(RAMP.len() - 2);
    let f = t - i as f64;
    let (a, b) = (Rgb(RAMP[i]).channels(), Rgb(RAMP[i + 1]).channels());
    Rgb::from_channels([0, 1, 2].map(|k| a[k] + (b[k] - a[k]) * f))
}

/// One fill colour per grade of a scale with `n` grades, best first.
pub fn grades(n: usize) -> Vec<Rgb> {
    match n {
        0 => Vec::new(),
        1 => vec![along(0.0)],
        _ => (0..n).map(|i| along(i as f64 / (n - 1) as f64)).collect(),
    }
}

/// The colour of a share of the maximum, in percent: 100 is the best
/// colour, 50 and below the worst — component scores cluster high, so the
/// ramp spends its colours where the units differ.
pub fn share(percent: f64) -> Rgb {
    along((100.0 - percent) / 50.0)
}

/// Neutral grey for a value with no grade.
pub const NONE: Rgb = Rgb(0xd0d7de);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_run_from_green_to_red_and_are_distinct() {
        for n in 2..=9 {
            let g = grades(n);
            assert_eq!(g.len(), n);
            assert_eq!(g[0], Rgb(RAMP[0]));
            assert_eq!(g[n - 1], Rgb(RAMP[6]));
            for (i, a) in g.iter().enumerate() {
                assert!(g[i + 1..].iter().all(|b| b != a), "{n} grades: {g:?}");
            }
        }
        assert_eq!(Rgb(0x1a7f45).hex(), "#1a7f45");
    }
}
