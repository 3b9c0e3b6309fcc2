package cases

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
)

type unitJSON struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Kind         casework.UnitKind `json:"kind"`
	Municipality string            `json:"municipality"`
}

// listUnits is the directory a reporter picks the child's school from.
func (s *Handlers) listUnits(c *gin.Context) {
	kind := c.Query("kind")
	if kind != "" && !casework.UnitKind(kind).Valid() {
		httpkit.WriteError(c, httpkit.FieldProblem("kind", "okänd enhetstyp"))
		return
	}
	units, err := s.DB.ListUnits(c.Request.Context(), c.Query("municipality"), kind)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	items := make([]unitJSON, len(units))
	for i, u := range units {
		items[i] = unitJSON{ID: u.ID, Name: u.Name, Kind: u.Kind, Municipality: u.MunicipalityID}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
