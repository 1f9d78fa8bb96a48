"""The outbox's writes: `outbox` queues and renders, `delivery` claims, sends and retries.

Two modules so that the tasks (which send) and the queue (which enqueues tasks) never import
each other in a circle.
"""
