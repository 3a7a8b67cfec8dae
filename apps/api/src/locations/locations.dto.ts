import type { LocationView } from '#queries/locations';
import { ApiProperty, PartialType } from '@nestjs/swagger';
import { OfficeAddressDto } from '../enrollments/enrollments.dto';

export class AddOfficeDto extends OfficeAddressDto {}

/** Any of the address fields; a field sent as null is refused like any other wrong value. */
export class UpdateOfficeDto extends PartialType(OfficeAddressDto, { skipNullProperties: false }) {}

export class OfficeDto extends OfficeAddressDto implements LocationView {
  @ApiProperty() id: string;
  @ApiProperty() isPrimary: boolean;
  @ApiProperty() createdAt: string;
}
