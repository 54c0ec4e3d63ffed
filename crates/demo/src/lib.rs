//! A simulated B2B company with known true channel effects, written as canonical CSV files.
