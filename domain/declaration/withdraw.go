package declaration

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// AnyApplicant, passed as the viewer, lets staff tools act on any
// application; channels always pass the signed-in applicant's Ref.
const AnyApplicant = "*"

// defaultWithdrawReason is recorded when the applicant gives none.
const defaultWithdrawReason = "申请人主动撤回"

// Application returns one application, if viewer (an applicant Ref, or
// AnyApplicant) filed it or is who it is about. Errors: NotFound, also for
// someone else's application.
func (s *Service) Application(ctx context.Context, id, viewer string) (Application, error) {
	app, err := s.store.Application(ctx, id)
	if err != nil {
		return Application{}, err
	}
	if !Visible(app, viewer) {
		return Application{}, domain.Errorf(domain.NotFound, "未找到该申请")
	}
	return app, nil
}

// Visible reports whether viewer may see app: its applicant, whoever acted
// for them, or staff (AnyApplicant).
func Visible(app Application, viewer string) bool {
	return viewer != "" && (viewer == AnyApplicant || viewer == app.Applicant.Ref || viewer == app.ActingFor.Ref)
}

// Withdraw withdraws an application at its applicant's request (撤回) while
// it is undecided. One the core does not have yet is withdrawn here and
// never forwarded; one it has is withdrawn at the core. Errors: NotFound;
// Conflict when the application is already decided, or is being handed to
// the core this very moment (try again in a few seconds); Unavailable when
// the core cannot be reached.
func (s *Service) Withdraw(ctx context.Context, id, viewer, reason string) (Application, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = defaultWithdrawReason
	}
	if utf8.RuneCountInString(reason) > 200 {
		return Application{}, domain.InvalidFields(domain.FieldError{Field: "reason", Message: "撤回原因请控制在200字以内"})
	}
	app, err := s.Application(ctx, id, viewer)
	if err != nil {
		return Application{}, err
	}
	if app.State.Status.Final() {
		return Application{}, domain.Errorf(domain.Conflict, "该申请已%s，不能撤回", app.State.Status.Label())
	}
	if app.State.CaseNo == "" {
		if app, err = s.withdrawUnforwarded(ctx, app, reason); err != nil || app.State.CaseNo == "" {
			return app, err
		}
	}
	if err := s.core.Withdraw(ctx, app.State.CaseNo, reason); err != nil {
		return Application{}, err
	}
	if err := s.store.SetStatus(ctx, id, Status(acceptance.StatusWithdrawn), reason, nil, s.now()); err != nil {
		return Application{}, err
	}
	return s.store.Application(ctx, id)
}

// withdrawUnforwarded withdraws an application the dispatcher has not
// forwarded. If it was forwarded meanwhile, it returns the application with
// its case number, for withdrawal at the core.
func (s *Service) withdrawUnforwarded(ctx context.Context, app Application, reason string) (Application, error) {
	done, err := s.store.WithdrawUnforwarded(ctx, app.ID, reason, s.now())
	if err != nil {
		return Application{}, err
	}
	if app, err = s.store.Application(ctx, app.ID); err != nil || done {
		return app, err
	}
	if app.State.CaseNo == "" {
		return Application{}, domain.Errorf(domain.Conflict, "申请正在提交受理，请稍后再撤回")
	}
	return app, nil
}

// SupplyMaterials hands the core the materials staff asked for (补齐材料)
// after they returned the application for materials. Errors: NotFound;
// Conflict unless the application is waiting for materials; Invalid for
// missing or unknown materials; Unavailable when the core cannot be reached.
func (s *Service) SupplyMaterials(ctx context.Context, id, viewer string, materials []acceptance.Material) (Application, error) {
	app, err := s.Application(ctx, id, viewer)
	if err != nil {
		return Application{}, err
	}
	if app.State.Status != Status(acceptance.StatusAwaitingMaterials) {
		return Application{}, domain.Errorf(domain.Conflict, "该申请当前无需补齐材料")
	}
	if len(materials) == 0 {
		return Application{}, domain.InvalidFields(domain.FieldError{Field: "materials", Message: "请上传需补齐的材料"})
	}
	fields, err := s.checkMaterials(ctx, materials, nil, nil)
	if err != nil {
		return Application{}, err
	}
	if fields != nil {
		return Application{}, domain.InvalidFields(fields...)
	}
	if err := s.core.SupplyMaterials(ctx, app.State.CaseNo, materials); err != nil {
		return Application{}, err
	}
	if err := s.store.SetStatus(ctx, id, Status(acceptance.StatusInProgress), "", materials, s.now()); err != nil {
		return Application{}, err
	}
	return s.store.Application(ctx, id)
}
