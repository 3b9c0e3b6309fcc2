package web

// The rows of clientContract for the client's methods of the lists and the supervisors', steering
// group's and auditors' pages. They join the table here, in a file of their own, so that the table's
// file and this one each change with their own pages.
func init() { clientContract = append(clientContract, pagesContract...) }

// fileDownload is the answer of a method that passes a file on (a *Download): nothing of it is
// decoded, so there is no field to hold to the document.
type fileDownload struct{}

var pagesContract = []struct {
	operation string
	call      func(*Client) error
	request   any
	answer    any
	status    string
}{
	{"listCases", func(c *Client) error {
		_, err := c.Cases(ctx(), "t", CaseListQuery{Scope: "unit", Phase: "kartlägga", Overdue: "true", Municipality: "norrkoping", Cursor: "abc", Limit: 50})
		return err
	}, nil, CaseList{}, "200"},
	{"oversight", func(c *Client) error { _, err := c.Oversight(ctx(), "t", "", "norrkoping"); return err }, nil, Oversight{}, "200"},
	{"caseAccessLog", func(c *Client) error { _, err := c.CaseAccessLog(ctx(), "t", "ABC-1", 1000); return err }, nil, AccessPage{}, "200"},
	{"accessReviews", func(c *Client) error { _, err := c.AccessReviews(ctx(), "t", "2026-W47", ""); return err }, nil, ReviewList{}, "200"},
	{"signOffReview", func(c *Client) error {
		_, err := c.SignOffReview(ctx(), "t", "rev-1", SignOffRequest{Note: "Alla åtkomster hade skäl."})
		return err
	}, SignOffRequest{}, Review{}, "200"},
	{"accessAlerts", func(c *Client) error { _, err := c.AccessAlerts(ctx(), "t", "norrkoping-skola-1"); return err }, nil, AlertList{}, "200"},
	{"yearlyReport", func(c *Client) error { _, err := c.YearlyReport(ctx(), "t", 2025, "norrkoping"); return err }, nil, YearlyReport{}, "200"},
	{"yearlyReport", func(c *Client) error {
		d, err := c.YearlyReportCSV(ctx(), "t", 2025, "")
		if err == nil {
			d.Close()
		}
		return err
	}, nil, fileDownload{}, "200"},
	{"exportAccessLog", func(c *Client) error {
		d, err := c.ExportAccessLog(ctx(), "t", AccessLogExportQuery{From: "2026-01-01", To: "2026-01-31", Unit: "norrkoping-skola-1", Format: "csv"})
		if err == nil {
			d.Close()
		}
		return err
	}, nil, fileDownload{}, "200"},
	{"childExtract", func(c *Client) error {
		d, err := c.ChildExtract(ctx(), "t", ChildExtractQuery{PersonalNumber: "20120315-9817", Format: "json"})
		if err == nil {
			d.Close()
		}
		return err
	}, nil, fileDownload{}, "200"},
}
