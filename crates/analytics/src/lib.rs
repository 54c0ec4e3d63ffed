//! Pure analytics of socialledger: engagement, cost, attribution and ROI over domain values. No I/O.
