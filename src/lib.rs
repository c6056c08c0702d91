pub mod date;
pub mod diagnostic;
pub mod fact_file;
pub mod graph;
pub mod import;
pub mod load;
pub mod model;
pub mod validate;
