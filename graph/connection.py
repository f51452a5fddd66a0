"""Open a store on the configured Neo4j, starting the local server when none is configured."""

from innograph.graph import local_server
from innograph.graph.store import Store
from innograph.settings import Settings


def open_store(settings: Settings, *, start_local: bool = True) -> Store:
    """A connected store: the configured server, or the local one (started if needed)."""
    if settings.uses_local_server and start_local:
        local_server.start(settings)
    store = Store.connect(settings)
    store.verify()
    return store
