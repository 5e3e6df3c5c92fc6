package declaration

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// MaxMaterialSize is the largest file accepted as a material: a scanned
// multi-page PDF fits; a raw phone video does not.
const MaxMaterialSize = 10 << 20

// The content types accepted for materials: what scanners, phone cameras
// and the kiosk's document camera (影像扫描) produce.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

// HashPrefix starts every material hash: the algorithm, so that another
// one can follow without ambiguity.
const HashPrefix = "sha256:"

// MaterialFile is one stored material file, found by the hash of its content.
type MaterialFile struct {
	Hash        string // "sha256:" + 64 hex digits of the content
	ContentType string
	Size        int
	Data        []byte
	CreatedAt   time.Time
}

// MaterialHash returns the hash a material with data is referenced by.
func MaterialHash(data []byte) string {
	sum := sha256.Sum256(data)
	return HashPrefix + hex.EncodeToString(sum[:])
}

// sniffType returns the content type data really has, judged by its first
// bytes, or "" when it is none of the accepted ones: a declared type is
// not trusted.
func sniffType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	}
	return ""
}

// UploadMaterial stores a material file the channel received and returns
// its reference, with the hash the application will cite. Uploading the same
// file twice returns the same reference. Errors: Invalid for an empty file
// or one that is not PDF, JPEG or PNG; TooLarge over MaxMaterialSize.
func (s *Service) UploadMaterial(ctx context.Context, data []byte) (MaterialFile, error) {
	if len(data) == 0 {
		return MaterialFile{}, domain.InvalidFields(domain.FieldError{Field: "file", Message: "上传的文件是空的，请重新选择"})
	}
	if len(data) > MaxMaterialSize {
		return MaterialFile{}, domain.Errorf(domain.TooLarge, "文件超过10MB，请压缩或分页后重新上传")
	}
	ct := sniffType(data)
	if ct == "" {
		return MaterialFile{}, domain.InvalidFields(domain.FieldError{Field: "file", Message: "只能上传PDF、JPG或PNG格式的文件"})
	}
	f := MaterialFile{Hash: MaterialHash(data), ContentType: ct, Size: len(data), Data: data, CreatedAt: s.now()}
	if err := s.materials.PutMaterial(ctx, f); err != nil {
		return MaterialFile{}, err
	}
	f.Data = nil
	return f, nil
}

// Material returns a stored material file. Errors: NotFound.
func (s *Service) Material(ctx context.Context, hash string) (MaterialFile, error) {
	return s.materials.Material(ctx, hash)
}

// checkMaterials checks the references of a submission: names and hashes
// well formed, every hash stored, every required name present. It returns
// the field errors to report.
func (s *Service) checkMaterials(ctx context.Context, ms []acceptance.Material, required []string, commitments map[string]string) ([]domain.FieldError, error) {
	var fields []domain.FieldError
	have := map[string]bool{}
	hashes := make([]string, 0, len(ms))
	for _, m := range ms {
		if m.Pledge != "" {
			if f, ok := checkPledge(m, commitments); !ok {
				fields = append(fields, f)
				continue
			}
			have[m.Name] = true
			continue
		}
		if strings.TrimSpace(m.Name) == "" || !validHash(m.Hash) {
			return []domain.FieldError{{Field: "materials", Message: "材料信息不完整，请重新上传"}}, nil
		}
		have[m.Name] = true
		hashes = append(hashes, m.Hash)
	}
	if len(ms) > maxMaterials {
		return []domain.FieldError{{Field: "materials", Message: "材料份数过多，请合并后上传"}}, nil
	}
	for _, name := range required {
		if !have[name] {
			fields = append(fields, domain.FieldError{Field: "materials", Message: "缺少材料：" + name})
		}
	}
	if len(hashes) == 0 {
		return fields, nil
	}
	missing, err := s.materials.MissingMaterials(ctx, hashes)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		fields = append(fields, domain.FieldError{Field: "materials", Message: "有材料未上传成功，请重新上传"})
	}
	return fields, nil
}

// checkPledge accepts a signed commitment (告知承诺制) in place of a material
// only for a material that allows one, and only when the applicant signed
// the commitment exactly as it was shown: it is recorded and forwarded as
// signed, and the bureau may later check the applicant kept it.
func checkPledge(m acceptance.Material, commitments map[string]string) (domain.FieldError, bool) {
	text, ok := commitments[m.Name]
	switch {
	case m.Hash != "":
		return domain.FieldError{Field: "materials", Message: "“" + m.Name + "”已签署承诺，无需再上传文件"}, false
	case !ok:
		return domain.FieldError{Field: "materials", Message: "“" + m.Name + "”不适用告知承诺制，请上传材料"}, false
	case m.Pledge != text:
		return domain.FieldError{Field: "materials", Message: "“" + m.Name + "”的承诺内容与告知的不一致，请重新阅读并签署"}, false
	}
	return domain.FieldError{}, true
}

// maxMaterials bounds the materials of one submission.
const maxMaterials = 50

// validHash reports whether h is "sha256:" and 64 lower-case hex digits.
func validHash(h string) bool {
	hexPart, ok := strings.CutPrefix(h, HashPrefix)
	if !ok || len(hexPart) != 64 {
		return false
	}
	for _, c := range []byte(hexPart) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
