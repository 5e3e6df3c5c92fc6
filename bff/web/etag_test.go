package web_test

import (
	"net/http/httptest"
	"testing"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/gofiber/fiber/v2"
)

func TestNotModified(t *testing.T) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	version := "catalog-r42"
	app.Get("/catalog", func(c *fiber.Ctx) error {
		if web.NotModified(c, version) {
			return nil
		}
		return c.JSON(fiber.Map{"revision": version})
	})
	current := web.WeakETag(version)
	tests := []struct {
		name        string
		ifNoneMatch string
		wantStatus  int
	}{
		{"first visit", "", 200},
		{"current copy", current, 304},
		{"current copy, strong form", current[2:], 304},
		{"one of several", `W/"old", ` + current, 304},
		{"any copy", "*", 304},
		{"old copy", web.WeakETag("catalog-r41"), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/catalog", nil)
			if tt.ifNoneMatch != "" {
				req.Header.Set("If-None-Match", tt.ifNoneMatch)
			}
			resp, err := app.Test(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d; want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := resp.Header.Get("ETag"); got != current {
				t.Errorf("ETag %q; want %q", got, current)
			}
			if tt.wantStatus == 304 && resp.ContentLength > 0 {
				t.Errorf("304 with a body of %d bytes", resp.ContentLength)
			}
		})
	}
}
