"""Historical leads: reading CRM exports (CSV, XLSX), mapping and cleaning them into a typed
lead table, and storing it in the workshop file. No Qt here; see `types` for the shapes."""
