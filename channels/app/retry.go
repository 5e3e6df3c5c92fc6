package app

import (
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/bff/web"
)

// withRetryAfter carries an error's Retry-After onto the answer: huma
// writes handler errors itself, past web.HandleError, which would.
func withRetryAfter(err error) error {
	var ra web.RetryAfterError
	if errors.As(err, &ra) {
		return huma.ErrorWithHeaders(err, http.Header{"Retry-After": {ra.RetryAfter()}})
	}
	return err
}
