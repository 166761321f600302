//
// BenchArgs.h
//
// The benchmarks' command line: --name=value options and --flag switches
// (a switch reads as "1"); anything else is ignored. Header-only, shared by
// every bench that takes named options.
//

#ifndef CAMSVC_BENCH_BENCHARGS_H
#define CAMSVC_BENCH_BENCHARGS_H

#include <map>
#include <string>

namespace camsvc::bench {

class BenchArgs
{
public:
	BenchArgs(int argc, char** argv)
	{
		for (int i = 1; i < argc; ++i)
		{
			std::string a = argv[i];
			if (a.rfind("--", 0) != 0)
				continue;
			auto eq = a.find('=');
			_values[a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)] = eq == std::string::npos ? "1" : a.substr(eq + 1);
		}
	}

	bool has(const std::string& name) const { return _values.count(name) > 0; }

	std::string get(const std::string& name, const std::string& fallback = "") const
	{
		auto it = _values.find(name);
		return it == _values.end() ? fallback : it->second;
	}

	int getInt(const std::string& name, int fallback) const { return has(name) ? std::stoi(get(name)) : fallback; }
	unsigned long getUnsigned(const std::string& name, unsigned long fallback) const { return has(name) ? std::stoul(get(name)) : fallback; }
	double getDouble(const std::string& name, double fallback) const { return has(name) ? std::stod(get(name)) : fallback; }

private:
	std::map<std::string, std::string> _values;
};

} // namespace camsvc::bench

#endif // CAMSVC_BENCH_BENCHARGS_H
