"""The handler workspace (/staff/): queues, the request page, companies."""
