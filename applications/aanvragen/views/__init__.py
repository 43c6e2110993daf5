"""The pages of the aanvragen app, one module per topic: `home` (dashboard, list, start),
`editing` (the tabs of one aanvraag), `submission` (overview, submitting, PDFs)."""
