#include "runtime/io/input_file.h"

#include <hdf5.h>

#include "runtime/io/output_file.h"

namespace axon::io {

namespace {

std::string read_attribute_string(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return "";
  hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
  hid_t type = H5Aget_type(attr);
  std::string out;
  if (H5Tget_class(type) == H5T_STRING) {
    if (H5Tis_variable_str(type) > 0) {
      char* text = nullptr;
      hid_t mem = H5Tcopy(H5T_C_S1);
      H5Tset_size(mem, H5T_VARIABLE);
      H5Tset_cset(mem, H5Tget_cset(type));  // h5py writes UTF-8; HDF5 will not convert between sets
      if (H5Aread(attr, mem, &text) >= 0 && text) out = text;
      if (text) H5free_memory(text);
      H5Tclose(mem);
    } else {
      size_t size = H5Tget_size(type);
      std::string buffer(size, '\0');
      if (H5Aread(attr, type, buffer.data()) >= 0) out = buffer.c_str();
    }
  }
  H5Tclose(type);
  H5Aclose(attr);
  return out;
}

}  // namespace

InputFile::InputFile(const std::string& path) : path_(path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  id_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id_ < 0) throw IoError("cannot open input file " + path + " (missing or not an HDF5 file)");
}

InputFile::~InputFile() {
  if (id_ >= 0) H5Fclose(static_cast<hid_t>(id_));
}

bool InputFile::has(const std::string& object) const {
  // Every prefix must exist before the full path can be tested.
  size_t pos = 0;
  while ((pos = object.find('/', pos + 1)) != std::string::npos)
    if (H5Lexists(static_cast<hid_t>(id_), object.substr(0, pos).c_str(), H5P_DEFAULT) <= 0) return false;
  return H5Lexists(static_cast<hid_t>(id_), object.c_str(), H5P_DEFAULT) > 0;
}

Column InputFile::column(const std::string& dataset) const {
  if (!has(dataset)) throw IoError(path_ + ": no dataset " + dataset);
  hid_t d = H5Dopen2(static_cast<hid_t>(id_), dataset.c_str(), H5P_DEFAULT);
  if (d < 0) throw IoError(path_ + ": cannot open dataset " + dataset);
  hid_t space = H5Dget_space(d);
  int rank = H5Sget_simple_extent_ndims(space);
  hsize_t dims[2] = {0, 0};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  H5Sclose(space);
  if (rank != 1) {
    H5Dclose(d);
    throw IoError(path_ + ": dataset " + dataset + " must be one-dimensional");
  }
  Column c;
  c.values.resize(dims[0]);
  herr_t status = dims[0] ? H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, c.values.data()) : 0;
  c.units = read_attribute_string(d, "units");
  if (c.units.empty()) c.units = read_attribute_string(d, "unit");
  H5Dclose(d);
  if (status < 0) throw IoError(path_ + ": cannot read dataset " + dataset + " as numbers");
  return c;
}

Table InputFile::table(const std::string& dataset) const {
  if (!has(dataset)) throw IoError(path_ + ": no dataset " + dataset);
  hid_t d = H5Dopen2(static_cast<hid_t>(id_), dataset.c_str(), H5P_DEFAULT);
  if (d < 0) throw IoError(path_ + ": cannot open dataset " + dataset);
  hid_t space = H5Dget_space(d);
  int rank = H5Sget_simple_extent_ndims(space);
  hsize_t dims[2] = {0, 1};
  if (rank == 1 || rank == 2) H5Sget_simple_extent_dims(space, dims, nullptr);
  H5Sclose(space);
  if (rank != 1 && rank != 2) {
    H5Dclose(d);
    throw IoError(path_ + ": dataset " + dataset + " must have one or two dimensions");
  }
  Table t;
  t.rows = dims[0];
  t.cols = rank == 2 ? dims[1] : 1;
  t.values.resize(t.rows * t.cols);
  herr_t status = t.values.empty() ? 0 : H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.values.data());
  t.units = read_attribute_string(d, "units");
  if (t.units.empty()) t.units = read_attribute_string(d, "unit");
  H5Dclose(d);
  if (status < 0) throw IoError(path_ + ": cannot read dataset " + dataset + " as numbers");
  return t;
}

std::vector<std::string> InputFile::datasets(const std::string& group) const {
  std::vector<std::string> names;
  if (!has(group) && group != "/") throw IoError(path_ + ": no group " + group);
  hid_t g = H5Gopen2(static_cast<hid_t>(id_), group.c_str(), H5P_DEFAULT);
  if (g < 0) throw IoError(path_ + ": " + group + " is not a group");
  H5G_info_t info;
  H5Gget_info(g, &info);
  for (hsize_t k = 0; k < info.nlinks; ++k) {
    char name[1024];
    if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, name, sizeof name, H5P_DEFAULT) < 0) continue;
    H5O_info_t oi;
    if (H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT) >= 0 && oi.type == H5O_TYPE_DATASET) names.push_back(name);
  }
  H5Gclose(g);
  return names;
}

std::optional<std::pair<std::string, std::string>> split_location(const std::string& text) {
  size_t colon = text.rfind(":/");
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  return std::make_pair(text.substr(0, colon), text.substr(colon + 1));
}

}  // namespace axon::io
