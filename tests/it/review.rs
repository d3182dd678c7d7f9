//! The provincial review: workbook, web page and CSV.
