package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// A store's failure reaches the citizen as a code and words about the
// service, never as a driver error.
func TestFail(t *testing.T) {
	own := domain.Errorf(domain.Rejected, "已办结")
	for _, tt := range []struct {
		err  error
		code domain.Code
		msg  string
	}{
		{sql.ErrNoRows, domain.NotFound, "未找到该绑定"},
		{own, domain.Rejected, "已办结"},
		{context.DeadlineExceeded, domain.Timeout, "公众号服务响应超时，请稍后再试"},
		{errors.New("connection refused"), domain.Unavailable, "公众号服务暂时不可用，请稍后再试"},
	} {
		err := store.Fail(tt.err, "绑定", "公众号服务")
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != tt.code || de.Message != tt.msg {
			t.Errorf("Fail(%v) = %v; want %s %q", tt.err, err, tt.code, tt.msg)
		}
	}
	if store.Fail(nil, "绑定", "公众号服务") != nil {
		t.Error("Fail(nil) is not nil")
	}
}
