pub mod date;
pub mod diagnostic;
pub mod fact_file;
pub mod query;
