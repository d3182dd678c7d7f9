//! Scoring one worksheet: answers → sub-component, component and total scores.
//!
//! This is the one place the roll-up arithmetic lives; `sakip score` and the
//! warehouse scoring both call it. Everything is exact until the very end:
//! sub-component and component scores stay exact rationals, the total is
//! their exact sum, and only the total is rounded — half-up, to two decimals,
//! once. The predikat is read off that rounded total.
//!
//! The answers come in as a checked worksheet ([`crate::worksheet`]), the
//! same whether they were read from a file or from the warehouse.
//! [`units`] applies the same roll-up to every unit in the warehouse;
//! [`criterion_points`] splits it into each criterion's exact share, which
//! [`criteria`] turns into the figures of `criterion_scores` and the unit
//! results show; [`mod@write`] writes the three score tables.

#[cfg(feature = "analytics")]
pub mod criteria;
#[cfg(feature = "analytics")]
pub mod units;
#[cfg(feature = "analytics")]
pub mod write;

use crate::exact::{Exact, Points};
use crate::rules::rubric::{MissingPolicy, Rubric};

/// A scored worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// Exact score of each sub-component, aligned with
    /// [`Rubric::subcomponents`].
    pub subcomponents: Vec<Exact>,
    /// Exact score of each component, aligned with [`Rubric::components`].
    pub components: Vec<Exact>,
    /// The exact total, the sum of the unrounded component scores.
    pub total_exact: Exact,
    /// The total rounded half-up to two decimals: the figure shown, stored and
    /// graded.
    pub total: Points,
    /// Indexes of the criteria left unanswered.
    pub missing: Vec<usize>,
}

/// The worksheet cannot be scored: the rubric rejects missing answers and
/// these criteria (indexes) were not answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// Indexes of the unanswered criteria.
    pub missing: Vec<usize>,
}

/// Rolls a worksheet up. `values[i]` is criterion `i`'s value on its own
/// answer scale, or `None` if unanswered.
///
/// A criterion contributes `value / full marks × points`, where `points` is
/// what full marks on it are worth (sub-component weight / n under the mean
/// rule). Unanswered criteria follow the rubric's [`MissingPolicy`].
pub fn rollup(rubric: &Rubric, values: &[Option<Exact>]) -> Result<Breakdown, Incomplete> {
    assert_eq!(values.len(), rubric.criteria.len(), "one value slot per criterion");
    let missing: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_none()).collect();
    if rubric.missing == MissingPolicy::Reject && !missing.is_empty() {
        return Err(Incomplete { missing });
    }
    if matches!(rubric.missing, MissingPolicy::Zero | MissingPolicy::Reject) {
        if let Some((subcomponents, components, total_exact)) = integer_rollup(rubric, values) {
            return Ok(Breakdown { total: Points::round_half_up(&total_exact), subcomponents, components, total_exact, missing });
        }
    }
    let subcomponents: Vec<Exact> = rubric
        .subcomponents
        .iter()
        .enumerate()
        .map(|(s, sub)| {
            let earned = earned(rubric, s, values);
            match rubric.missing {
                MissingPolicy::Zero | MissingPolicy::Reject => earned,
                MissingPolicy::Exclude => {
                    let answered_weight: Exact = sub.criteria.clone().filter(|&i| values[i].is_some()).map(|i| rubric.criteria[i].points).sum();
                    if answered_weight == Exact::default() {
                        Exact::default()
                    } else {
                        earned * sub.weight / answered_weight
                    }
                }
            }
        })
        .collect();
    let components: Vec<Exact> = rubric.components.iter().map(|c| subcomponents[c.subcomponents.clone()].iter().sum()).collect();
    let total_exact: Exact = components.iter().sum();
    Ok(Breakdown { total: Points::round_half_up(&total_exact), subcomponents, components, total_exact, missing })
}

/// What one criterion adds to its sub-component's score, and what full
/// marks on it would add: the terms [`rollup`] sums, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionPoints {
    /// Points earned: value / full marks × the criterion's points (scaled up
    /// with the other answered criteria under [`MissingPolicy::Exclude`]).
    /// `Some(0)` for a missing criterion counted as zero; `None` for one the
    /// policy leaves out.
    pub points: Option<Exact>,
    /// Points full marks would earn, on the same footing as `points`.
    pub max: Exact,
}

impl CriterionPoints {
    /// Points still open on this criterion: full marks minus what it earned.
    pub fn open(&self) -> Option<Exact> {
        self.points.map(|p| self.max - p)
    }
}

/// Each criterion's share of the roll-up, aligned with the rubric's
/// criteria: the points of a sub-component's criteria add up exactly to the
/// sub-component score [`rollup`] gives for the same values, so a unit's
/// criterion points add up to its exact total.
pub fn criterion_points(rubric: &Rubric, values: &[Option<Exact>]) -> Vec<CriterionPoints> {
    assert_eq!(values.len(), rubric.criteria.len(), "one value slot per criterion");
    // Under `exclude` the answered criteria of a sub-component share its
    // whole weight, so each is scaled by weight / answered weight.
    let scale: Vec<Exact> = rubric
        .subcomponents
        .iter()
        .map(|sub| match rubric.missing {
            MissingPolicy::Zero | MissingPolicy::Reject => Exact::from_integer(1),
            MissingPolicy::Exclude => {
                let answered: Exact = sub.criteria.clone().filter(|&i| values[i].is_some()).map(|i| rubric.criteria[i].points).sum();
                if answered == Exact::default() {
                    Exact::from_integer(1)
                } else {
                    sub.weight / answered
                }
            }
        })
        .collect();
    rubric
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // Unscaled (every policy but `exclude`, and a sub-component
            // answered in full) is most criteria: an exact product is a
            // reduction, with 128-bit divisions, even by one.
            let k = scale[c.subcomponent];
            let unscaled = num_traits::One::is_one(&k);
            let scaled = |x: Exact| if unscaled { x } else { x * k };
            let points = match values[i] {
                // A listed answer's term is worked out once, with the
                // rubric: the division and product each reduce a rational,
                // with 128-bit divisions, for every criterion of every
                // worksheet a review shows.
                Some(value) => Some(scaled(
                    rubric.integer_terms.as_ref().and_then(|t| t.term(i, &value)).map(|(_, term)| term).unwrap_or_else(|| rubric.scale_of(i).normalise(value) * c.points),
                )),
                None if rubric.missing == MissingPolicy::Exclude => None,
                None => Some(Exact::default()),
            };
            CriterionPoints { points, max: if values[i].is_some() { scaled(c.points) } else { c.points } }
        })
        .collect()
}

/// The sub-component, component and total scores of a worksheet under a
/// policy that counts a missing answer as zero, added as integers over the
/// rubric's denominators ([`IntegerTerms`](crate::rules::rubric)): one
/// reduction per figure instead of a rational addition (two 128-bit gcds)
/// per sub-component and component. `None` where a value is on no listed
/// answer, the rubric has no such denominators, or a sum would overflow;
/// the rational roll-up then gives the same numbers.
fn integer_rollup(rubric: &Rubric, values: &[Option<Exact>]) -> Option<(Vec<Exact>, Vec<Exact>, Exact)> {
    let integer = rubric.integer_terms.as_ref()?;
    let (of_components, of_total) = integer.sums.as_ref()?;
    let earned: Vec<i128> = (0..rubric.subcomponents.len()).map(|s| earned_integer(rubric, s, values)).collect::<Option<_>>()?;
    let mut components = Vec::with_capacity(rubric.components.len());
    let mut total: i128 = 0;
    for (component, &denominator) in rubric.components.iter().zip(of_components) {
        let sum = component.subcomponents.clone().try_fold(0i128, |sum, s| sum.checked_add(earned[s].checked_mul(denominator / integer.denominators[s])?))?;
        components.push(Exact::new(sum, denominator));
        total = total.checked_add(sum.checked_mul(of_total / denominator)?)?;
    }
    let subcomponents = earned.iter().zip(&integer.denominators).map(|(&n, &d)| Exact::new(n, d)).collect();
    Some((subcomponents, components, Exact::new(total, *of_total)))
}

/// What sub-component `s` earned from its answered criteria, as an integer
/// over its denominator in the rubric's integer terms; `None` when the
/// rubric has none or a value is on no listed answer.
fn earned_integer(rubric: &Rubric, s: usize, values: &[Option<Exact>]) -> Option<i128> {
    let integer = rubric.integer_terms.as_ref()?;
    rubric.subcomponents[s].criteria.clone().try_fold(0i128, |sum, i| match values[i] {
        None => Some(sum),
        Some(value) => integer.term(i, &value).map(|(term, _)| sum + term),
    })
}

/// What sub-component `s` earned from its answered criteria: the sum of
/// value / full marks × points. With the rubric's integer terms it is one
/// integer sum and one reduction; a value not on a listed scale (or a rubric
/// without them) takes the rational sum, which is the same number.
fn earned(rubric: &Rubric, s: usize, values: &[Option<Exact>]) -> Exact {
    let criteria = rubric.subcomponents[s].criteria.clone();
    if let (Some(sum), Some(integer)) = (earned_integer(rubric, s, values), &rubric.integer_terms) {
        return Exact::new(sum, integer.denominators[s]);
    }
    criteria.filter_map(|i| values[i].map(|value| rubric.scale_of(i).normalise(value) * rubric.criteria[i].points)).sum()
}

/// One component's score for one unit, year and track.
#[cfg(feature = "analytics")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentPoints {
    /// Component code.
    pub code: String,
    /// Component name.
    pub name: String,
    /// Its score, rounded half-up for display; the total is not built from it.
    pub score: crate::exact::Points,
    /// Its weight: the most it can score.
    pub max: crate::exact::Points,
}

/// The score of one unit in one year on one track.
#[cfg(feature = "analytics")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitScore {
    /// Evaluation year.
    pub year: i32,
    /// Province code.
    pub province_code: String,
    /// Unit code.
    pub unit_code: String,
    /// Unit name.
    pub unit_name: String,
    /// Self-assessment or evaluator.
    pub track: crate::worksheet::Track,
    /// Rubric id.
    pub rubric: String,
    /// Predikat scale id.
    pub scale: String,
    /// The total, rounded once, half-up.
    pub score: crate::exact::Points,
    /// The predikat of that total.
    pub predikat: String,
    /// Criteria left unanswered.
    pub missing_criteria: u32,
    /// Codes of the unanswered criteria, in rubric order.
    pub missing: Vec<String>,
    /// Per component, in rubric order.
    pub components: Vec<ComponentPoints>,
    /// Per criterion, in rubric order.
    pub criteria: Vec<crate::score::criteria::CriterionRow>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::catalog::Catalog;
    use crate::worksheet::SheetBuilder;
    use proptest::prelude::*;

    fn catalog() -> Catalog {
        Catalog::new(concat!(env!("CARGO_MANIFEST_DIR"), "/pipelines"))
    }

    /// Fills a worksheet: `answers` maps a sub-component code to the answers
    /// of its criteria in order (`""` leaves one unanswered).
    fn sheet(rubric: &Rubric, answers: &[(&str, &[&str])]) -> Vec<Option<Exact>> {
        let mut b = SheetBuilder::new(rubric);
        let mut row = 1;
        for (sub_code, list) in answers {
            let sub = rubric.subcomponents.iter().find(|s| s.code == *sub_code).expect("sub-component");
            assert_eq!(sub.criteria.len(), list.len(), "answers for every criterion of {sub_code}");
            for (i, answer) in sub.criteria.clone().zip(list.iter()) {
                row += 1;
                b.add(row, &rubric.criteria[i].code, answer).expect("valid answer");
            }
        }
        b.finish()
    }

    fn ex(s: &str) -> Exact {
        crate::exact::parse_decimal(s).unwrap()
    }

    #[test]
    fn hand_computed_88_2021_worksheet() {
        // sub   n   W     answers                     mean      score = mean/100 × W
        // 1.1   7   6     AA×6, E                     600/7     36/7 = 5.142857…
        // 1.2  10   9     B×10                        70        6.3
        // 1.3   8  15     BB×8                        80        12
        // 2.1   3   6     A, A, CC                    80        4.8
        // 2.2   7   9     C×7                         50        4.5
        // 2.3  10  15     D×10                        30        4.5
        // 3.1   6   3     AA×6                        100       3
        // 3.2   9   4.5   B×9                         70        3.15
        // 3.3   7   7.5   (missing), B×6              60        4.5   (missing counts 0)
        // 4.1   3   5     BB×3                        80        4
        // 4.2   5   7.5   A×4, E                      72        5.4
        // 4.3   5  12.5   CC×5                        60        7.5
        // components: 23.442857… + 13.8 + 10.65 + 16.9
        // total = 36/7 + 59.65 = 9071/140 = 64.792857… → 64.79 → B (BB scale), CC (old scale)
        let rubric = catalog().rubric("permenpanrb-88-2021").unwrap();
        let values = sheet(
            &rubric,
            &[
                ("1.1", &["AA", "AA", "AA", "AA", "AA", "AA", "E"]),
                ("1.2", &["B"; 10]),
                ("1.3", &["BB"; 8]),
                ("2.1", &["A", "A", "CC"]),
                ("2.2", &["C"; 7]),
                ("2.3", &["D"; 10]),
                ("3.1", &["AA"; 6]),
                ("3.2", &["B"; 9]),
                ("3.3", &["", "B", "B", "B", "B", "B", "B"]),
                ("4.1", &["BB"; 3]),
                ("4.2", &["A", "A", "A", "A", "E"]),
                ("4.3", &["CC"; 5]),
            ],
        );
        let b = rollup(&rubric, &values).unwrap();
        assert_eq!(b.total_exact, Exact::new(9071, 140));
        assert_eq!(b.total.to_string(), "64.79");
        assert_eq!(b.components, vec![Exact::new(36, 7) + ex("18.3"), ex("13.8"), ex("10.65"), ex("16.9")]);
        assert_eq!(b.missing, vec![rubric.criterion_index("3.3.1").unwrap()]);
        let bb = catalog().predikat_scale("permenpanrb-bb").unwrap();
        let old = catalog().predikat_scale("lama-tanpa-bb").unwrap();
        assert_eq!(bb.grade(b.total).unwrap().predikat, "B");
        assert_eq!(old.grade(b.total).unwrap().predikat, "CC");
    }

    #[test]
    fn criterion_points_add_up_to_the_rollup_under_every_policy() {
        // 3.3 of the 88/2021 rubric: 7 criteria, weight 7.5, so each is worth
        // 7.5/7 = 15/14 points. Answers: (missing), B (70), then AA (100) ×5.
        //   zero:    B earns 15/14 × 0.7 = 3/4, open 15/14 − 3/4 = 9/28;
        //            the missing one earns 0 of 15/14; AA earns all 15/14.
        //   exclude: the six answered share 7.5, each worth 7.5/6 = 5/4;
        //            B earns 5/4 × 0.7 = 7/8; the missing one is left out.
        let catalog = catalog();
        let base = std::fs::read_to_string(catalog.root().join("rubrics/permenpanrb-88-2021.toml")).unwrap();
        for (policy, b_points, missing) in [("zero", Exact::new(3, 4), Some(Exact::default())), ("exclude", Exact::new(7, 8), None)] {
            let text = base.replace("missing = \"zero\"", &format!("missing = \"{policy}\""));
            let rubric = Rubric::parse(std::path::Path::new("t.toml"), &text, &catalog).unwrap();
            let mut answers: Vec<(&str, Vec<&str>)> = rubric.subcomponents.iter().map(|s| (s.code.as_str(), vec!["BB"; s.criteria.len()])).collect();
            answers[8].1 = vec!["", "B", "AA", "AA", "AA", "AA", "AA"];
            let list: Vec<(&str, &[&str])> = answers.iter().map(|(c, a)| (*c, a.as_slice())).collect();
            let values = sheet(&rubric, &list);
            let b = rollup(&rubric, &values).unwrap();
            let points = criterion_points(&rubric, &values);
            for (s, sub) in rubric.subcomponents.iter().enumerate() {
                let sum: Exact = sub.criteria.clone().filter_map(|i| points[i].points).sum();
                assert_eq!(sum, b.subcomponents[s], "{policy}: sub-component {}", sub.code);
            }
            let first = rubric.criterion_index("3.3.1").unwrap();
            assert_eq!(points[first].points, missing, "{policy}");
            assert_eq!(points[first + 1].points, Some(b_points), "{policy}");
            if policy == "zero" {
                assert_eq!(points[first + 1].open(), Some(Exact::new(9, 28)));
                assert_eq!(points[first].open(), Some(Exact::new(15, 14)));
            }
        }
    }

    #[test]
    fn hand_computed_12_2015_worksheet_rounds_half_up() {
        // sub  W     n  scale            answers           share         score
        // 1.1  2     3  Y/T              Y,Y,T             2/3           4/3
        // 1.2  5     6  A–E              A×6               1             5
        // 1.3  3     3  A–E              B×3               0.75          2.25
        // 1.4  4     4  Y/T              Y×4               1             4
        // 1.5 10     6  A–E              B×6               0.75          7.5
        // 1.6  6     5  A–E, 1.6.2 A/B/C A,B(=0.5),A,A,A   0.9           5.4
        // 2.1  5     4  Y/T              Y,Y,Y,T           0.75          3.75
        // 2.2 12.5   6  A–E              C×6               0.5           6.25
        // 2.3  7.5   5  A–E, 2.3.3 A–D   A,A,B(=0.67),A,A  0.934         7.005
        // 3.1  3     4  Y/T              Y×4               1             3
        // 3.2  7.5   5  A–E              B×5               0.75          5.625
        // 3.3  4.5   3  A/B/C            A,B,C             0.5           2.25
        // 4.1  2     3  Y/T              Y,T,T             1/3           2/3
        // 4.2  5     4  A–E              D×4               0.25          1.25
        // 4.3  3     3  A–E              E×3               0             0
        // 5.1  7.5   3  A–E              A×3               1             7.5
        // 5.2 12.5   3  A–E              B×3               0.75          9.375
        // total = 4/3 + 2/3 + 70.155 = 72.155 exactly → half-up → 72.16 → BB
        let rubric = catalog().rubric("permenpanrb-12-2015").unwrap();
        let values = sheet(
            &rubric,
            &[
                ("1.1", &["Y", "Y", "T"]),
                ("1.2", &["A"; 6]),
                ("1.3", &["B"; 3]),
                ("1.4", &["Y"; 4]),
                ("1.5", &["B"; 6]),
                ("1.6", &["A", "B", "A", "A", "A"]),
                ("2.1", &["Y", "Y", "Y", "T"]),
                ("2.2", &["C"; 6]),
                ("2.3", &["A", "A", "B", "A", "A"]),
                ("3.1", &["Ya", "y", "Y", "Y"]),
                ("3.2", &["B"; 5]),
                ("3.3", &["A", "B", "C"]),
                ("4.1", &["Y", "T", "Tidak"]),
                ("4.2", &["D"; 4]),
                ("4.3", &["E"; 3]),
                ("5.1", &["A"; 3]),
                ("5.2", &["B"; 3]),
            ],
        );
        let b = rollup(&rubric, &values).unwrap();
        assert_eq!(b.total_exact, ex("72.155"));
        assert_eq!(b.total.to_string(), "72.16");
        assert!(b.missing.is_empty());
        assert_eq!(b.components[0], Exact::new(4, 3) + ex("24.15"));
        assert_eq!(b.components[1], ex("17.005"));
        let bb = catalog().predikat_scale("permenpanrb-bb").unwrap();
        assert_eq!(bb.grade(b.total).unwrap().predikat, "BB");
    }

    #[test]
    fn every_missing_policy_is_applied_and_flagged() {
        let catalog = catalog();
        let base = std::fs::read_to_string(catalog.root().join("rubrics/permenpanrb-88-2021.toml")).unwrap();
        let with = |policy: &str| {
            let text = base.replace("missing = \"zero\"", &format!("missing = \"{policy}\""));
            Rubric::parse(std::path::Path::new("t.toml"), &text, &catalog).unwrap()
        };
        // Every criterion B (70) but 1.1.1 unanswered.
        let answer_all_but_first = |rubric: &Rubric| {
            let mut b = SheetBuilder::new(rubric);
            for (i, c) in rubric.criteria.iter().enumerate().skip(1) {
                b.add(i as u64 + 2, &c.code, "B").unwrap();
            }
            b.finish()
        };
        // zero: 1.1 scores 6 × (6×70/7)/100 = 3.6 instead of 4.2 → 70 − 0.6 = 69.40.
        let zero = with("zero");
        let b = rollup(&zero, &answer_all_but_first(&zero)).unwrap();
        assert_eq!(b.total.to_string(), "69.40");
        assert_eq!(b.missing, vec![0]);
        // exclude: 1.1 is the mean of the six answered → 70.00, still flagged.
        let exclude = with("exclude");
        let b = rollup(&exclude, &answer_all_but_first(&exclude)).unwrap();
        assert_eq!(b.total.to_string(), "70.00");
        assert_eq!(b.missing, vec![0]);
        // reject: no score, the missing criterion named.
        let reject = with("reject");
        assert_eq!(rollup(&reject, &answer_all_but_first(&reject)), Err(Incomplete { missing: vec![0] }));
    }

    /// The shipped rubrics, each also with every missing-answer policy.
    fn rubrics_under_every_policy() -> Vec<Rubric> {
        let mut out = Vec::new();
        for id in ["permenpanrb-12-2015", "permenpanrb-88-2021"] {
            let rubric = catalog().rubric(id).unwrap();
            for missing in [MissingPolicy::Zero, MissingPolicy::Exclude, MissingPolicy::Reject] {
                let mut r = rubric.clone();
                r.missing = missing;
                out.push(r);
            }
        }
        out
    }

    #[test]
    fn shipped_rubrics_have_integer_terms() {
        // Both use listed scales only: the integer roll-up is what scores them.
        for rubric in rubrics_under_every_policy() {
            let terms = rubric.integer_terms.as_ref().unwrap_or_else(|| panic!("{} has no integer terms", rubric.id));
            assert_eq!(terms.terms.len(), rubric.criteria.len());
            // And denominators for the sums, so that sub-components and
            // components are added as integers too.
            let (components, _) = terms.sums.as_ref().unwrap_or_else(|| panic!("{} has no denominators for its sums", rubric.id));
            assert_eq!(components.len(), rubric.components.len());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The integer roll-up gives exactly what the rational one gives,
        /// answered or not, under every missing-answer policy; a value that
        /// is on no listed answer (as `sakip score` never makes, but a
        /// caller may pass) falls back to the rational sum.
        #[test]
        fn integer_rollup_equals_the_rational_one(picks in proptest::collection::vec((0usize..12, 0usize..1000), 80)) {
            for rubric in rubrics_under_every_policy() {
                let values: Vec<Option<Exact>> = (0..rubric.criteria.len())
                    .map(|i| {
                        let (pick, odd) = picks[i % picks.len()];
                        match &rubric.scale_of(i).accepts {
                            crate::rules::answer_scale::Accepts::Listed(answers) if pick < answers.len() => Some(answers[pick].value),
                            _ if pick == 11 => Some(Exact::new(odd as i128, 997)),
                            _ => None,
                        }
                    })
                    .collect();
                let mut rational = rubric.clone();
                rational.integer_terms = None;
                prop_assert_eq!(rollup(&rubric, &values), rollup(&rational, &values), "{} {:?}", rubric.id, rubric.missing);
                // Each criterion's points too, taken from the listed terms.
                prop_assert_eq!(criterion_points(&rubric, &values), criterion_points(&rational, &values), "{} {:?}", rubric.id, rubric.missing);
            }
        }

        /// The order of a worksheet's rows never changes any score.
        #[test]
        fn answer_order_does_not_change_the_score(
            picks in proptest::collection::vec(0usize..9, 80),
            order in Just((0..80usize).collect::<Vec<_>>()).prop_shuffle(),
        ) {
            const ANSWERS: [&str; 9] = ["AA", "A", "BB", "B", "CC", "C", "D", "E", ""];
            let rubric = catalog().rubric("permenpanrb-88-2021").unwrap();
            let fill = |indexes: &mut dyn Iterator<Item = usize>| {
                let mut b = SheetBuilder::new(&rubric);
                for i in indexes {
                    b.add(i as u64, &rubric.criteria[i].code, ANSWERS[picks[i]]).unwrap();
                }
                rollup(&rubric, &b.finish()).unwrap()
            };
            let in_order = fill(&mut (0..80));
            let shuffled = fill(&mut order.iter().copied());
            prop_assert_eq!(&in_order, &shuffled);
            prop_assert!(in_order.total_exact >= Exact::from_integer(0));
            prop_assert!(in_order.total_exact <= Exact::from_integer(100));
        }
    }
}
