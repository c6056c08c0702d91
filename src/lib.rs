pub mod date;
pub mod diagnostic;
pub mod fact_file;
pub mod graph;
pub mod load;
pub mod model;
pub mod query;
pub mod validate;
