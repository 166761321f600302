//
// PrometheusText.h
//
// Writes the service's figures in the Prometheus text exposition format
// (version 0.0.4): HELP and TYPE lines, counters, gauges, and per-method
// latency histograms with cumulative _bucket, _sum and _count.
//

#ifndef CAMSVC_METRICS_PROMETHEUSTEXT_H
#define CAMSVC_METRICS_PROMETHEUSTEXT_H

#include "ProcessStats.h"
#include "camsvc/sdk/Introspection.h"
#include <string>

namespace camsvc::metrics {

std::string prometheusText(const sdk::ServerIntrospection& server, const ProcessSample& process);

} // namespace camsvc::metrics

#endif // CAMSVC_METRICS_PROMETHEUSTEXT_H
