package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/go-sql-driver/mysql"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Translate turns a driver error into a domain error so that callers above
// the store never see a driver type. what names the thing in Chinese for the
// message ("申请", "草稿"). Errors it does not recognise are returned as they
// are, to become a logged 500.
func Translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return domain.Wrap(err, domain.NotFound, "未找到该"+what)
	case IsDuplicate(err):
		return domain.Wrap(err, domain.Conflict, "该"+what+"已存在")
	}
	return err
}

// Fail is what a store answers for err: a *domain.Error passes through, no
// rows becomes NotFound of what and a duplicate Conflict (Translate), a
// cancelled or expired context Timeout, anything else Unavailable; service
// names the store's part of the system in the messages ("公众号服务").
func Fail(err error, what, service string) error {
	var de *domain.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		return err
	case errors.Is(err, sql.ErrNoRows), IsDuplicate(err):
		return Translate(err, what)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return domain.Wrap(err, domain.Timeout, service+"响应超时，请稍后再试")
	}
	return domain.Wrap(err, domain.Unavailable, service+"暂时不可用，请稍后再试")
}

// IsDuplicate reports whether err is a unique or primary key violation.
func IsDuplicate(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}
