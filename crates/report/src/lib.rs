//! Reports of socialledger: terminal table, JSON, CSV and self-contained HTML with inline SVG charts.
