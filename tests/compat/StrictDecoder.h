//
// StrictDecoder.h
//
// Decodes a JSON object the way the seed's typed Go client does, but
// stricter: every field the seed declares must be present (unless the seed
// marks it omitempty) and have exactly the seed's JSON type: an int is a
// JSON integer (30, never 30.0 or "30"), a float64 any number, a string a
// string, a bool a bool, a time.Time an RFC 3339 string, a map[string]string
// an object of strings only; null is accepted only where the seed has a
// pointer. Fields beyond the seed are allowed (the seed's client ignores
// them). Every mismatch is collected with its path, so one failing call
// names every field that would break the client.
//

#ifndef CAMSVC_TEST_STRICTDECODER_H
#define CAMSVC_TEST_STRICTDECODER_H

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace camsvc::test {

class StrictDecoder
{
public:
	StrictDecoder(const Poco::Dynamic::Var& value, std::string path, std::vector<std::string>& errors);
		/// value must be a JSON object (else one error, and every field read fails quietly).

	bool ok() const { return _object != nullptr; }
	const std::string& path() const { return _path; }

	std::string string(const std::string& field);
	std::int64_t integer(const std::string& field);   // Go int / int64
	double number(const std::string& field);          // Go float64: an integer or a float
	bool boolean(const std::string& field);
	Poco::Timestamp time(const std::string& field);   // Go time.Time: RFC 3339
	std::vector<std::string> strings(const std::string& field);       // []string
	std::map<std::string, std::string> stringMap(const std::string& field); // map[string]string
	bool has(const std::string& field) const;
	StrictDecoder object(const std::string& field);   // a nested struct (present, an object)
	std::vector<StrictDecoder> objects(const std::string& field); // []Struct

	static bool isRfc3339(const std::string& text);

private:
	Poco::Dynamic::Var require(const std::string& field, const char* type);
	Poco::JSON::Array::Ptr arrayField(const std::string& field, const char* what);
		/// The field's array, or null (and an error) when missing or not an array.
	void fail(const std::string& field, const std::string& what);

	Poco::JSON::Object::Ptr _object;
	std::string _path;
	std::vector<std::string>* _errors;
};

std::string jsonTypeName(const Poco::Dynamic::Var& value);
	/// "integer", "float", "string", "bool", "null", "object", "array".

} // namespace camsvc::test

#endif // CAMSVC_TEST_STRICTDECODER_H
