package store

import (
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
