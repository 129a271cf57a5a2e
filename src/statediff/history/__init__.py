"""The history of every sentence across a series: lineages, kept with the reports, and their stories."""
