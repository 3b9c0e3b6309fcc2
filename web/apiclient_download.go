package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Download is a file the API streams – an access-log export, the yearly follow-up as CSV – to be
// passed on to the browser as it arrives, never held whole in memory. The caller must Close it.
type Download struct {
	ContentType string
	// Disposition is the API's Content-Disposition (attachment, with the file's name).
	Disposition string
	res         *http.Response
}

// Body is the file as it arrives.
func (d *Download) Body() io.Reader { return d.res.Body }

// Close ends the download; closing before the end stops the API's export.
func (d *Download) Close() error { return d.res.Body.Close() }

// exportCompleteTrailer is the API's sign that an export holds every row: a stream that broke off
// lacks it (api/openapi.yaml, AccessExport).
const exportCompleteTrailer = "X-Export-Complete"

// Complete says, once the body has been read to its end, whether the API sent the whole file: true
// unless the API announced the completeness trailer and did not send it.
func (d *Download) Complete() bool {
	if _, announced := d.res.Trailer[exportCompleteTrailer]; !announced {
		return true
	}
	return d.res.Trailer.Get(exportCompleteTrailer) == "true"
}

// download sends c and returns the answer's body unread when it is a 2xx; any other answer is a
// *Problem, as with do.
func (cl *Client) download(ctx context.Context, c call) (*Download, error) {
	req, err := cl.request(ctx, c)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, text/csv")
	res, err := cl.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.method, c.path, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		defer res.Body.Close()
		raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		if err != nil {
			return nil, fmt.Errorf("%s %s: read answer: %w", c.method, c.path, err)
		}
		return nil, problemFrom(res, raw)
	}
	d := &Download{ContentType: res.Header.Get("Content-Type"), Disposition: res.Header.Get("Content-Disposition"), res: res}
	if !strings.HasPrefix(d.Disposition, "attachment") {
		d.Disposition = "attachment"
	}
	return d, nil
}
