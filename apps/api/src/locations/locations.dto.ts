import type { LocationView } from '#queries/locations';
import { ApiProperty, PartialType } from '@nestjs/swagger';
import { OfficeAddressDto } from '../enrollments/enrollments.dto';

export class AddOfficeDto extends OfficeAddressDto {}

export class UpdateOfficeDto extends PartialType(OfficeAddressDto) {}

export class OfficeDto extends OfficeAddressDto implements LocationView {
  @ApiProperty() id: string;
  @ApiProperty() isPrimary: boolean;
  @ApiProperty() createdAt: string;
}
