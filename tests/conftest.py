import os

from hypothesis import HealthCheck, Phase, settings

_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]

# ci: modest and fast; dev: many more examples (HYPOTHESIS_PROFILE=dev pytest).
settings.register_profile("ci", max_examples=int(os.environ.get("NDGRAD_EXAMPLES", 25)), deadline=None, phases=_PHASES,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                 HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=300, deadline=None, phases=_PHASES,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                 HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
