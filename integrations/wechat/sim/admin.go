package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// These helpers read and steer a running simulator through its admin
// endpoints, for end-to-end tests and the load test that hold only its URL.

// FetchMessages returns the template and subscribe messages sent to openid
// (all of them if openid is empty), oldest first.
func FetchMessages(ctx context.Context, baseURL, openID string) ([]Message, error) {
	var out []Message
	err := adminJSON(ctx, http.MethodGet, baseURL+simulator.AdminPrefix+"messages?openid="+url.QueryEscape(openID), nil, &out)
	return out, err
}

// FetchMenu returns the menu as last created, in the platform's JSON, or
// nil when there is none.
func FetchMenu(ctx context.Context, baseURL string) (json.RawMessage, error) {
	var out json.RawMessage
	err := adminJSON(ctx, http.MethodGet, baseURL+simulator.AdminPrefix+"menu", nil, &out)
	if string(out) == "null" {
		out = nil
	}
	return out, err
}

// SetFollower makes openid follow the account, or unfollow it.
func SetFollower(ctx context.Context, baseURL, openID string, following bool) error {
	return adminJSON(ctx, http.MethodPost, baseURL+simulator.AdminPrefix+"followers",
		followerRequest{OpenID: openID, Subscribed: following}, nil)
}

// adminJSON sends in (if any) as JSON and decodes the answer into out (if
// any); a status other than 2xx is an error.
func adminJSON(ctx context.Context, method, u string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("wechat sim admin: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("wechat sim admin %s %s: %s: %s", method, u, resp.Status, bytes.TrimSpace(msg))
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("wechat sim admin: %w", err)
	}
	return nil
}
