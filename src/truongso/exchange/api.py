"""API endpoints of the exchange app, mounted under /api/v1/exchange/.

``POST /batches`` is called by a child node with its own token; ``GET /conflicts``
lists the conflict queue for the caller's schools."""

from django.core.exceptions import PermissionDenied
from ninja import Router
from ninja.pagination import paginate

from truongso.core.api_errors import ErrorOut, ValidationErrorOut
from truongso.core.api_pagination import CursorPagination
from truongso.exchange.schemas import BatchIn, BatchOut, ConflictOut
from truongso.exchange.selectors import conflict_list
from truongso.exchange.services.nodes import child_node_for_user
from truongso.exchange.services.receive import batch_receive

router = Router(tags=["exchange"])


@router.post(
    "/batches",
    response={200: BatchOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Receive a batch of records from a child node",
)
def batches(request, body: BatchIn):
    """Apply a batch in one transaction. Sending the same batch again returns the same
    answer with ``replayed: true`` and changes nothing."""
    node = child_node_for_user(request.auth)
    if node is None:
        raise PermissionDenied
    return batch_receive(node=node, payload=body.model_dump(mode="json"))


@router.get("/conflicts", response=list[ConflictOut], summary="Open conflicts of my schools")
@paginate(CursorPagination, ordering=("-created_at", "-pk"))
def conflicts(request):
    return conflict_list(actor=request.auth)
