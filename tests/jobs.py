"""Background jobs a test run or a benchmark queued and no worker ran (a bench built for tests
has none): removed at the end, so that run after run does not fill the queue until Frappe
refuses to queue any more ("Too many queued background jobs")."""

from __future__ import annotations


def queued_jobs() -> dict:
	"""The jobs waiting in this bench's queues: {queue name: (queue, {job id})}."""
	from frappe.utils.background_jobs import get_queues

	return {queue.name: (queue, set(queue.job_ids)) for queue in get_queues()}


def drop_jobs_queued_since(before: dict, site: str) -> int:
	"""Remove the jobs of ``site`` queued since ``before`` (a queued_jobs(); {} for all of them)
	that still wait; how many."""
	from rq.job import Job

	dropped = 0
	for name, (queue, job_ids) in queued_jobs().items():
		for job_id in job_ids - before.get(name, (None, set()))[1]:
			if not job_id.startswith(site):
				continue  # another site's, on the same bench
			queue.remove(job_id)
			dropped += 1
			try:
				Job.fetch(job_id, connection=queue.connection).delete()
			except Exception:
				pass  # gone already: a worker took it
	return dropped
