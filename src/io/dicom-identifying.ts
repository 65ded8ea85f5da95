/**
 * Which header elements may identify a person, for highlighting in a header viewer.
 *
 * The rules follow the categories of DICOM PS3.15 Annex E (Attribute Confidentiality Profiles),
 * whose Basic Application Level Confidentiality Profile (Table E.1-1) removes or replaces, among
 * others, the names of persons, the patient's identifiers and demographics, dates and times,
 * instance UIDs (replaced consistently), institution and device identifiers, free-text comments,
 * and every private attribute. This function applies those categories by rule (VR, group, keyword)
 * rather than by the table's list, so it flags a superset of the table for names, dates and UIDs,
 * and it is a viewer's aid, not a de-identifier: the table itself, applied by a de-identification
 * tool, is what removes identifying data, and text burned into the pixels is outside any header
 * rule.
 */
import type { DicomTag } from './dicom-header'

/** Why an element is highlighted, or null when no rule applies. */
export type IdentifyingReason =
  | 'person name'
  | 'patient attribute'
  | 'date or time'
  | 'instance UID'
  | 'institution or device'
  | 'free text'
  | 'private attribute'

/** Keywords that identify an institution, a device, an operator or a request (PS3.15 Table E.1-1 entries). */
const INSTITUTION_OR_DEVICE = new Set([
  'InstitutionName', 'InstitutionAddress', 'InstitutionalDepartmentName', 'StationName', 'DeviceSerialNumber',
  'DetectorID', 'PlateID', 'GantryID', 'CassetteID', 'DeviceUID',
  'AccessionNumber', 'StudyID', 'RequestedProcedureID', 'ScheduledProcedureStepID', 'PerformedProcedureStepID',
  'ReferringPhysicianAddress', 'ReferringPhysicianTelephoneNumbers',
])
/** Free-text elements that often carry names or history. */
const FREE_TEXT = new Set([
  'StudyDescription', 'SeriesDescription', 'ImageComments', 'AdditionalPatientHistory', 'PatientComments',
  'RequestedProcedureDescription', 'PerformedProcedureStepDescription', 'AdmittingDiagnosesDescription',
  'DerivationDescription', 'ProtocolName', 'Occupation', 'MedicalAlerts', 'Allergies',
])
/** UIDs that name a standard object, not an instance (kept by the profile). */
const NON_INSTANCE_UIDS = new Set([
  'SOPClassUID', 'MediaStorageSOPClassUID', 'TransferSyntaxUID', 'ImplementationClassUID',
  'ReferencedSOPClassUID', 'RelatedGeneralSOPClassUID', 'CodingSchemeUID', 'ContextGroupExtensionCreatorUID',
])

/** Why `tag` may identify a person (see the module comment), or null. */
export function identifyingReason(tag: Pick<DicomTag, 'tag' | 'vr' | 'keyword' | 'name'>): IdentifyingReason | null {
  const group = parseInt(tag.tag.slice(1, 5), 16)
  if (Number.isNaN(group) || group === 0xfffe) return null
  if (group % 2 === 1) return 'private attribute'
  if (tag.vr === 'PN') return 'person name'
  if (group === 0x0010) return 'patient attribute'
  if (tag.vr === 'DA' || tag.vr === 'DT' || tag.vr === 'TM') return 'date or time'
  if (tag.vr === 'UI' && !NON_INSTANCE_UIDS.has(tag.keyword)) return 'instance UID'
  if (INSTITUTION_OR_DEVICE.has(tag.keyword)) return 'institution or device'
  if (FREE_TEXT.has(tag.keyword)) return 'free text'
  return null
}
