import os

from hypothesis import HealthCheck, Phase, settings

_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]

# ci: modest, fast and derandomized (the same examples every run, so CI never flakes);
# dev: many more, freshly random examples (HYPOTHESIS_PROFILE=dev pytest) to hunt for bugs.
settings.register_profile("ci", max_examples=int(os.environ.get("NDGRAD_EXAMPLES", 25)), deadline=None,
                          phases=_PHASES, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                 HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=int(os.environ.get("NDGRAD_EXAMPLES", 300)),
                          deadline=None, phases=_PHASES,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                 HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
